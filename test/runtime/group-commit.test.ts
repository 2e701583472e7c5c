import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { FileJournal, JournalWriteFailed } from "../../src/runtime/file-journal.js";
import { nodeCommitFs, type CommitFs } from "../../src/runtime/group-commit.js";
import type { JournalRecord } from "../../src/runtime/journal.js";

let folder: string;
beforeEach(() => {
  folder = mkdtempSync(join(tmpdir(), "prose-group-commit-"));
});
afterEach(() => {
  rmSync(folder, { recursive: true, force: true });
});

/** The real writes and fsyncs, counted by descriptor, in the order they happen. */
function countingFs(): CommitFs & { events: string[]; syncs(): number; writes(): number } {
  const events: string[] = [];
  return {
    events,
    write: async (descriptor, bytes, offset, length) => {
      const written = await nodeCommitFs.write(descriptor, bytes, offset, length);
      events.push(`write ${descriptor} ${bytes.subarray(offset, offset + written).toString("utf8").split("\n").filter((line) => line !== "").length}`);
      return written;
    },
    fdatasync: async (descriptor) => {
      await nodeCommitFs.fdatasync(descriptor);
      events.push(`sync ${descriptor}`);
    },
    syncs: () => events.filter((event) => event.startsWith("sync")).length,
    writes: () => events.filter((event) => event.startsWith("write")).length,
  };
}

const model = (step: string, text: string): JournalRecord => ({ kind: "model", step, fingerprint: "f", result: { text } });

function linesOf(path: string): Array<{ step?: string }> {
  return readFileSync(path, "utf8")
    .trimEnd()
    .split("\n")
    .map((line) => JSON.parse(line) as { step?: string });
}

describe("group commit of journal appends", () => {
  it("50 runs' journals, each with 10 strands making 5 durable steps: every record on disk, with far fewer fsyncs than records", async () => {
    const fs = countingFs();
    const journals = Array.from({ length: 50 }, (_, run) => FileJournal.open(join(folder, `run-${run}`, "journal.jsonl"), { fs }));
    // Every strand awaits each step before the next, as the interpreter does.
    await Promise.all(
      journals.flatMap((journal, run) =>
        Array.from({ length: 10 }, async (_, strand) => {
          for (let step = 1; step <= 5; step += 1) await journal.append(model(`run${run} strand${strand} model#${step}`, "answer"), { durable: true });
        }),
      ),
    );
    await Promise.all(journals.map((journal) => journal.close()));
    const records = 50 * 10 * 5;
    // One fsync per commit, and a commit takes every strand's step made meanwhile: 5 rounds (and
    // at most a few more), not 2,500 fsyncs.
    expect(fs.syncs()).toBeLessThanOrEqual(50 * 8);
    expect(fs.syncs()).toBeLessThan(records / 5);
    for (const [run, journal] of journals.entries()) {
      const lines = linesOf(journal.path);
      expect(lines[0]).toEqual({ prose: "journal", version: 1 });
      expect(lines.slice(1).map((line) => line.step).sort()).toEqual(
        Array.from({ length: 10 }, (_, strand) => Array.from({ length: 5 }, (_, step) => `run${run} strand${strand} model#${step + 1}`)).flat().sort(),
      );
    }
  });

  it("records appended in the same turn share one write and one fsync", async () => {
    const fs = countingFs();
    const journal = FileJournal.open(join(folder, "journal.jsonl"), { fs });
    await Promise.all(Array.from({ length: 200 }, (_, index) => journal.append(model(`step ${index}`, "x"), { durable: true })));
    expect(fs.syncs()).toBe(1);
    expect(fs.writes()).toBe(1);
    // The header and the 200 records.
    expect(fs.events).toEqual([expect.stringMatching(/^write \d+ 201$/), expect.stringMatching(/^sync \d+$/)]);
    await journal.close();
    expect(linesOf(journal.path)).toHaveLength(201);
  });

  it("a durable append resolves only once its record is written and fdatasync'ed; one that is not durable waits for no fsync", async () => {
    const gate: { open?: () => void } = {};
    const events: string[] = [];
    const fs: CommitFs = {
      write: async (descriptor, bytes, offset, length) => {
        events.push("write");
        return nodeCommitFs.write(descriptor, bytes, offset, length);
      },
      fdatasync: async (descriptor) => {
        events.push("sync started");
        await new Promise<void>((resolve) => (gate.open = resolve));
        await nodeCommitFs.fdatasync(descriptor);
        events.push("sync done");
      },
    };
    const journal = FileJournal.open(join(folder, "journal.jsonl"), { fs });
    await journal.append({ kind: "clock", step: "clock#1", result: "2026-12-05T00:00:00.000Z" });
    expect(events).toEqual(["write"]);
    let used = false;
    const durable = journal.append(model("model#1", "the answer"), { durable: true }).then(() => {
      used = true;
      events.push("used");
    });
    // The journal holds the record at once (a replay in this process finds it)…
    expect(journal.step("model#1")).toMatchObject({ result: { text: "the answer" } });
    while (gate.open === undefined) await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setTimeout(resolve, 20));
    // …but its step may not go on before the fsync ends.
    expect(used).toBe(false);
    expect(readFileSync(journal.path, "utf8")).toContain("the answer");
    gate.open();
    await durable;
    expect(events).toEqual(["write", "write", "sync started", "sync done", "used"]);
    gate.open = undefined;
    const closing = journal.close();
    // Nothing unsynced is left: close needs no fsync.
    await closing;
    expect(events.at(-1)).toBe("used");
  });

  it("a failed write refuses that durable step and every later one, with an English message and the fix", async () => {
    let fail = false;
    const fs: CommitFs = {
      write: async (descriptor, bytes, offset, length) => {
        if (fail) throw Object.assign(new Error("ENOSPC: no space left on device, write"), { code: "ENOSPC" });
        return nodeCommitFs.write(descriptor, bytes, offset, length);
      },
      fdatasync: nodeCommitFs.fdatasync,
    };
    const journal = FileJournal.open(join(folder, "journal.jsonl"), { fs });
    await journal.append(model("model#1", "kept"), { durable: true });
    fail = true;
    const refused = await journal.append(model("model#2", "lost"), { durable: true }).catch((problem: unknown) => problem);
    expect(refused).toBeInstanceOf(JournalWriteFailed);
    expect((refused as Error).message).toBe(
      `I can't write the run's journal ${journal.path} (ENOSPC): the run stops here. Free space on that disk (or give its folder back), then resume the run with --resume; steps already journaled are not done again.`,
    );
    fail = false;
    // A half-written batch must not be followed by more: the file stays failed.
    await expect(journal.append(model("model#3", "after"), { durable: true })).rejects.toBeInstanceOf(JournalWriteFailed);
    // A record that is not durable never rejects (nobody waits for it); close reports the failure.
    await expect(journal.append({ kind: "clock", step: "clock#1", result: "x" })).resolves.toBeUndefined();
    await expect(journal.close()).rejects.toBeInstanceOf(JournalWriteFailed);
    const reopened = FileJournal.open(journal.path);
    expect(reopened.step("model#1")).toBeDefined();
    expect(reopened.step("model#2")).toBeUndefined();
    await reopened.close();
  });

  it("close writes and fsyncs what is queued, even appended the moment before", async () => {
    const fs = countingFs();
    const journal = FileJournal.open(join(folder, "journal.jsonl"), { fs });
    void journal.append({ kind: "clock", step: "clock#1", result: "2026-12-05T00:00:00.000Z" });
    await journal.close();
    expect(fs.syncs()).toBe(1);
    expect(linesOf(journal.path).map((line) => line.step)).toEqual([undefined, "clock#1"]);
  });
});
