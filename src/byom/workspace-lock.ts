import { AsyncLocalStorage } from "node:async_hooks";
import { randomBytes } from "node:crypto";
import { readFileSync, rmSync } from "node:fs";
import { link, mkdir, readFile, rename, rm, unlink, writeFile } from "node:fs/promises";
import { hostname } from "node:os";
import { join, resolve } from "node:path";
import { ByomError } from "./byom-error.js";
import { onForcedExit, processIsGone } from "../platform/process-leftovers.js";

/** The one lock of a workspace: every change to its agent files, settings or local secret file holds it. */
export const workspaceLockFileName = "workspace.lock";
/** Held for the moment it takes to replace the lock of a process that is gone. */
const breakLockFileName = "workspace.break.lock";

/** Who holds the lock, as written in the lock file. */
export interface LockHolder {
  pid: number;
  host: string;
  /** The process's start time (Linux: clock ticks after boot), to tell a recycled PID; absent elsewhere. */
  started?: string;
  /** Random, unique to this holding. */
  token: string;
  /** What the holder runs, e.g. "byom add". */
  command: string;
  since: string;
}

const settings = {
  waitMilliseconds: 30_000,
  /** Set when the command was asked to stop (SIGINT, SIGTERM): waits for the lock end at once. */
  stopReason: undefined as string | undefined,
};
let changesInProgress = 0;
let changesCompleted = 0;
const heldHere = new AsyncLocalStorage<ReadonlySet<string>>();
const queues = new Map<string, Promise<unknown>>();

/** How long a command waits for a live holder before it gives up (PROSE_LOCK_WAIT_SECONDS). */
export function setWorkspaceLockWait(milliseconds: number): void {
  settings.waitMilliseconds = milliseconds;
}

/** After this, a wait for the lock ends with `WorkspaceChangeStopped`, and no new change starts. */
export function stopWorkspaceChanges(reason: string): void {
  settings.stopReason = reason;
}

/** How many workspace changes (lock waits included) this process is in the middle of. */
export function workspaceChangesInProgress(): number {
  return changesInProgress;
}

/** How many workspace changes this process has ended (its lock released), successful or not. */
export function workspaceChangesCompleted(): number {
  return changesCompleted;
}

/** A change that did not start because the command was asked to stop; nothing was changed. */
export class WorkspaceChangeStopped extends Error {
  override readonly name = "WorkspaceChangeStopped";
  constructor(
    /** What asked it to stop, e.g. "SIGTERM". */
    readonly reason: string,
  ) {
    super(`The change to the workspace did not start: the command was stopped (${reason}); nothing was changed.`);
  }
}

/**
 * Runs `work` while this process holds the workspace's lock. Re-entrant: a change inside a
 * change (the local store's write inside `byom add`) runs at once; other changes of this
 * process wait their turn without polling. Another process's lock is waited for (at most
 * PROSE_LOCK_WAIT_SECONDS, default 30); a lock whose process is gone is taken over at once.
 */
export async function withWorkspaceLock<Result>(workspace: string, command: string, work: () => Promise<Result>): Promise<Result> {
  const key = resolve(workspace);
  const held = heldHere.getStore();
  if (held?.has(key)) return work();
  const previous = queues.get(key) ?? Promise.resolve();
  const turn = previous.then(async () => {
    changesInProgress += 1;
    try {
      if (settings.stopReason !== undefined) throw new WorkspaceChangeStopped(settings.stopReason);
      const holding = await acquire(key, command);
      try {
        return await heldHere.run(new Set([...(held ?? []), key]), work);
      } finally {
        await holding.release();
        changesCompleted += 1;
      }
    } finally {
      changesInProgress -= 1;
      // While enabled, the context store makes every promise of the process pay for async hooks
      // (Node 20): it is on only while a change runs (run() turns it on again).
      if (changesInProgress === 0) heldHere.disable();
    }
  });
  const settled = turn.then(
    () => undefined,
    () => undefined,
  );
  queues.set(key, settled);
  void settled.then(() => {
    if (queues.get(key) === settled) queues.delete(key);
  });
  return turn;
}

interface Holding {
  release(): Promise<void>;
}

async function acquire(workspace: string, command: string): Promise<Holding> {
  await mkdir(workspace, { recursive: true, mode: 0o700 });
  const lock = join(workspace, workspaceLockFileName);
  const me: LockHolder = { pid: process.pid, host: hostname(), ...startedField(), token: randomBytes(12).toString("hex"), command, since: new Date().toISOString() };
  // The record is written whole under a private name, then linked to the lock's name: the lock
  // never exists half-written, and link fails when another holder has it.
  const candidate = join(workspace, `.${workspaceLockFileName}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`);
  const forgetCandidate = onForcedExit(() => removeSync(candidate));
  await writeFile(candidate, `${JSON.stringify(me)}\n`, { mode: 0o600, flag: "wx" });
  // From the moment it may be ours, an exit removes the lock (only if it holds our token).
  const forgetLock = onForcedExit(() => releaseSync(lock, me.token));
  let acquired = false;
  try {
    const deadline = Date.now() + settings.waitMilliseconds;
    for (;;) {
      if (settings.stopReason !== undefined) throw new WorkspaceChangeStopped(settings.stopReason);
      try {
        await createExclusively(candidate, lock);
        acquired = true;
        break;
      } catch (problem) {
        if ((problem as NodeJS.ErrnoException).code !== "EEXIST") throw lockFailure(workspace, problem);
      }
      const holder = await readHolder(lock);
      if (holder === "gone") continue;
      if (holder !== "unreadable" && holderIsGone(holder)) {
        if (await takeOver(workspace, lock, holder, candidate)) {
          acquired = true;
          break;
        }
        continue;
      }
      if (Date.now() >= deadline) throw busy(workspace, lock, holder, settings.waitMilliseconds);
      await sleep(10 + Math.random() * 20);
    }
  } finally {
    await rm(candidate, { force: true });
    forgetCandidate();
    if (!acquired) forgetLock();
  }
  return {
    release: async () => {
      forgetLock();
      if (!acquired) return;
      const holder = await readHolder(lock);
      if (typeof holder === "object" && holder.token === me.token) await rm(lock, { force: true });
    },
  };
}

/**
 * Replaces the lock of a process that is gone with ours. Two processes may find the same dead
 * lock at once: each first takes the break lock (created exclusively), then checks that the
 * lock is still the dead one it saw before replacing it, so a lock taken in between is never
 * replaced. Returns whether this process now holds the lock.
 */
async function takeOver(workspace: string, lock: string, dead: LockHolder, candidate: string): Promise<boolean> {
  const breaker = join(workspace, breakLockFileName);
  try {
    await createExclusively(candidate, breaker);
  } catch (problem) {
    if ((problem as NodeJS.ErrnoException).code !== "EEXIST") throw lockFailure(workspace, problem);
    const other = await readHolder(breaker);
    // A breaker that died in its moment of replacing is itself moved away, checked, and dropped.
    if (typeof other === "object" && holderIsGone(other)) await removeIfStill(workspace, breaker, other);
    else if (other !== "gone") await sleep(2);
    return false;
  }
  const forgetBreaker = onForcedExit(() => removeSync(breaker));
  try {
    const current = await readHolder(lock);
    if (typeof current !== "object" || current.token !== dead.token) return false;
    await rename(candidate, lock);
    return true;
  } finally {
    await unlink(breaker).catch(() => undefined);
    forgetBreaker();
  }
}

/**
 * Gives `target` the content of `candidate` if `target` does not exist (EEXIST otherwise): a hard
 * link, so the file never exists half-written; where the file system has no hard links, an
 * exclusive create and a write.
 */
async function createExclusively(candidate: string, target: string): Promise<void> {
  try {
    await link(candidate, target);
  } catch (problem) {
    const code = (problem as NodeJS.ErrnoException).code;
    if (code !== "EPERM" && code !== "ENOTSUP" && code !== "EOPNOTSUPP" && code !== "ENOSYS") throw problem;
    await writeFile(target, await readFile(candidate), { flag: "wx", mode: 0o600 });
  }
}

/** Moves `file` to a private name; keeps it gone only if it still was `expected`, else puts it back. */
async function removeIfStill(workspace: string, file: string, expected: LockHolder): Promise<void> {
  const aside = join(workspace, `.${breakLockFileName}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`);
  try {
    await rename(file, aside);
  } catch {
    return;
  }
  const moved = await readHolder(aside);
  if (typeof moved === "object" && moved.token !== expected.token) await link(aside, file).catch(() => undefined);
  await rm(aside, { force: true });
}

async function readHolder(lock: string): Promise<LockHolder | "gone" | "unreadable"> {
  let text: string;
  try {
    text = await readFile(lock, "utf8");
  } catch (problem) {
    if ((problem as NodeJS.ErrnoException).code === "ENOENT") return "gone";
    return "unreadable";
  }
  try {
    const holder = JSON.parse(text) as Partial<LockHolder>;
    if (typeof holder.pid === "number" && typeof holder.host === "string" && typeof holder.token === "string") {
      return { pid: holder.pid, host: holder.host, token: holder.token, command: String(holder.command ?? "prose"), since: String(holder.since ?? ""), ...(typeof holder.started === "string" ? { started: holder.started } : {}) };
    }
  } catch {
    // Written by something else: waited for like a live holder, then reported.
  }
  return "unreadable";
}

/** Whether the holder's process has ended (on this host; another host's holder is never judged gone). */
export function holderIsGone(holder: LockHolder): boolean {
  if (holder.host !== hostname()) return false;
  if (processIsGone(holder.pid)) return true;
  if (holder.started === undefined) return false;
  const started = startTimeOf(holder.pid);
  return started !== undefined && started !== holder.started;
}

function startedField(): { started?: string } {
  const started = startTimeOf(process.pid);
  return started === undefined ? {} : { started };
}

/** The start time of a process from /proc (Linux); undefined where there is none. */
function startTimeOf(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // After "pid (name) ", field 3 (state) comes first; the start time is field 22.
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19];
  } catch {
    return undefined;
  }
}

function busy(workspace: string, lock: string, holder: LockHolder | "unreadable", waited: number): ByomError {
  const seconds = Math.round(waited / 100) / 10;
  if (holder === "unreadable") {
    return new ByomError(
      `The workspace ${workspace} is locked (${lock} exists but does not say which process holds it); I waited ${seconds} s.`,
      `If no prose command is changing this workspace, delete ${lock} and run the command again.`,
    );
  }
  const where = holder.host === hostname() ? "" : ` on ${holder.host}`;
  const fix =
    where === ""
      ? `Run the command again once it has finished. If process ${holder.pid} is stuck, stop it (kill ${holder.pid}): its lock is then taken over at once.`
      : `Run the command again once it has finished. If no prose command is running on ${holder.host}, delete ${lock}.`;
  return new ByomError(
    `The workspace ${workspace} is being changed by another prose command (\`prose ${holder.command}\`, process ${holder.pid}${where}, since ${holder.since}); I waited ${seconds} s for it.`,
    fix,
    1,
  );
}

function lockFailure(workspace: string, problem: unknown): ByomError {
  const code = (problem as NodeJS.ErrnoException).code ?? (problem as Error).message;
  return new ByomError(`I can't lock the workspace ${workspace} to change it (${code}).`, "Check that the workspace folder exists and that you may write in it.", 1);
}

function releaseSync(lock: string, token: string): void {
  try {
    if ((JSON.parse(readFileSync(lock, "utf8")) as LockHolder).token === token) removeSync(lock);
  } catch {
    // Already gone.
  }
}

function removeSync(file: string): void {
  try {
    rmSync(file, { force: true });
  } catch {
    // Already gone.
  }
}

function sleep(milliseconds: number): Promise<void> {
  return new Promise((done) => setTimeout(done, milliseconds));
}

/** How a command runs one change of the workspace: `withWorkspaceLock`, or the CLI's, which also tidies first. */
export type WorkspaceChange = <Result>(command: string, work: () => Promise<Result>) => Promise<Result>;

/** The context's way to run a change, else `withWorkspaceLock` on the workspace. */
export function changeOf(context: { change?: WorkspaceChange | undefined }, workspace: string): WorkspaceChange {
  return context.change ?? ((command, work) => withWorkspaceLock(workspace, command, work));
}
