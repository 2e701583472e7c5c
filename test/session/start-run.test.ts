import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { AnswerBook } from "../../src/runtime/questions.js";
import { compileSource } from "../../src/session/compile-script.js";
import { planRun } from "../../src/session/durable-run.js";
import type { RunHost } from "../../src/session/run-host.js";
import { SessionError } from "../../src/session/session-error.js";
import { startRun } from "../../src/session/start-run.js";

let folder: string;
beforeEach(() => {
  folder = mkdtempSync(join(tmpdir(), "prose-session-"));
});
afterEach(() => rmSync(folder, { recursive: true, force: true }));

const workspace = () => join(folder, "workspace");

function host(said: string[], warned: string[] = []): RunHost {
  return {
    say: (line) => said.push(line),
    warn: (message) => warned.push(message),
    now: () => new Date("2026-11-23T10:00:00Z"),
    // A wait ends early when the run is stopped, as the system clock's does.
    sleep: (_milliseconds, signal) => new Promise((resolve, reject) => (signal?.aborted ? reject(signal.reason) : signal ? signal.addEventListener("abort", () => reject(signal.reason)) : resolve())),
    readFile: async (path) => new Uint8Array(readFileSync(path)),
    writeFile: async () => undefined,
  };
}

function scriptFile(source: string): { path: string; source: string } {
  const path = join(folder, "main.prose");
  writeFileSync(path, source);
  return { path, source };
}

const request = (overrides: Partial<Parameters<typeof planRun>[0]> = {}) => ({ workspace: workspace(), inputs: [], defaultConcurrency: 4, now: new Date("2026-11-23T10:00:00Z"), ...overrides });

describe("starting a run (the session service)", () => {
  it("runs a compiled script with its inputs, keeps a journal and run.json, and says how it ended", async () => {
    const script = scriptFile('say "Hello, {the customer}"\nthe greeted is the customer\n');
    const plan = planRun(request({ file: script.path, inputs: ["customer=Ada"] }));
    const said: string[] = [];
    const started: Array<string | undefined> = [];
    const outcome = await startRun(plan, compileSource(script.source, script.path, { loadSource: () => undefined }), { host: host(said), answers: new AnswerBook(), environment: {}, onStart: (runId) => started.push(runId) });
    expect(outcome.result.status).toBe("done");
    expect(outcome.result.runId).toBe(plan.id);
    expect(started).toEqual([plan.id]);
    expect(said).toEqual(["Hello, Ada"]);
    expect(outcome.result.facts.greeted).toBe("Ada");
    expect(outcome.agent).toBe("default");
    expect(outcome.stopped).toBeUndefined();
    expect(outcome.routed).toBeUndefined();
    const record = JSON.parse(readFileSync(join(workspace(), "runs", plan.id, "run.json"), "utf8")) as { status: string; arguments: { inputs: string[] } };
    expect(record.status).toBe("done");
    expect(record.arguments.inputs).toEqual(["customer=Ada"]);
  });

  it("resumes a waiting run by its id, with its own inputs, answering from the answers given", async () => {
    const script = scriptFile('say "for {the customer}"\nsay "approved by {the approver}"\n');
    const program = compileSource(script.source, script.path, { loadSource: () => undefined });
    const first = await startRun(planRun(request({ file: script.path, inputs: ["customer=Ada"] })), program, { host: host([]), answers: new AnswerBook(), environment: {} });
    expect(first.result.status).toBe("waiting");
    const answers = new AnswerBook();
    answers.add("the approver", { value: "Grace" });
    const said: string[] = [];
    const resumed = await startRun(planRun(request({ resume: first.result.runId! })), program, { host: host(said), answers, environment: {} });
    expect(resumed.result.status).toBe("done");
    expect(resumed.result.runId).toBe(first.result.runId);
    expect(said).toEqual(["for Ada", "approved by Grace"]);
  });

  it("ends a run stopped from outside with the reason and its English line, and records it", async () => {
    const script = scriptFile('say "before"\nwait 30 seconds\nsay "after"\n');
    const plan = planRun(request({ file: script.path }));
    let interrupt: ((signal?: "interrupted" | "terminated") => void) | undefined;
    const said: string[] = [];
    const running = startRun(plan, compileSource(script.source, script.path, { loadSource: () => undefined }), {
      host: { ...host(said), say: (line) => (said.push(line), interrupt?.("terminated")) },
      answers: new AnswerBook(),
      environment: {},
      interrupts: (onInterrupt) => ((interrupt = onInterrupt), () => (interrupt = undefined)),
    });
    const outcome = await running;
    expect(said).toEqual(["before"]);
    expect(outcome.stopped).toEqual({ reason: "terminated", message: "stopped: terminated (SIGTERM); the model calls in flight were cancelled." });
    expect(outcome.result.status).toBe("failed");
    expect(outcome.result.error?.message).toBe("The run was terminated (SIGTERM).");
    expect(interrupt).toBeUndefined();
    const record = JSON.parse(readFileSync(join(workspace(), "runs", plan.id, "run.json"), "utf8")) as { status: string };
    expect(record.status).toBe("failed");
  });

  it("refuses what it cannot do as asked with an English SessionError: no such run, a bad agent, a bad input", async () => {
    expect(() => planRun(request({ resume: "run-20260101T000000-nosuch" }))).toThrow(SessionError);
    const script = scriptFile('say "hi"\n');
    const program = compileSource(script.source, script.path, { loadSource: () => undefined });
    await expect(startRun(planRun(request({ file: script.path, agent: "no good" })), program, { host: host([]), answers: new AnswerBook(), environment: {} })).rejects.toThrow('"no good" cannot be an agent name.');
    await expect(startRun(planRun(request({ file: script.path, inputs: ["customer"] })), program, { host: host([]), answers: new AnswerBook(), environment: {} })).rejects.toBeInstanceOf(SessionError);
  });
});
