import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { FileJournal } from "../../src/runtime/file-journal.js";
import { MemoryJournal, type JournalRecord } from "../../src/runtime/journal.js";

let folder: string;
beforeEach(() => {
  folder = mkdtempSync(join(tmpdir(), "prose-journal-"));
});
afterEach(() => {
  rmSync(folder, { recursive: true, force: true });
});

const model: JournalRecord = { kind: "model", step: "main.prose:2:1 model#1", fingerprint: "f1", result: { text: "Hello", usage: { inputTokens: 3, outputTokens: 1 } } };
const clock: JournalRecord = { kind: "clock", step: "main.prose:3:1 clock#1", result: "2026-11-23T10:00:00.000Z" };
const answer: JournalRecord = { kind: "answer", question: "q-0123456789ab", answer: { value: "Acme" } };

describe("the file journal", () => {
  it("keeps records across openings: steps by key, answers by question id", async () => {
    const path = join(folder, "runs", "run-1", "journal.jsonl");
    const first = FileJournal.open(path);
    first.append(model, { durable: true });
    first.append(clock);
    first.append(answer, { durable: true });
    await first.close();
    const second = FileJournal.open(path);
    expect(second.opening).toEqual({ replayable: 3, tornLine: false, skippedLines: 0, oversizeLines: 0 });
    expect(second.step(model.step)).toEqual(model);
    expect(second.step(clock.step)).toEqual(clock);
    expect(second.answers.get("q-0123456789ab")).toEqual({ value: "Acme" });
    await second.close();
    const lines = readFileSync(path, "utf8").trimEnd().split("\n");
    expect(JSON.parse(lines[0])).toEqual({ prose: "journal", version: 1 });
    expect(lines.slice(1).map((line) => JSON.parse(line))).toEqual([model, clock, answer]);
  });

  it("a later record of a step replaces the earlier one (a step done again after the script changed)", async () => {
    const path = join(folder, "journal.jsonl");
    const journal = FileJournal.open(path);
    journal.append(model, { durable: true });
    journal.append({ ...model, fingerprint: "f2", result: { text: "Changed" } }, { durable: true });
    await journal.close();
    expect(FileJournal.open(path).step(model.step)).toMatchObject({ fingerprint: "f2", result: { text: "Changed" } });
  });

  it("drops a torn last line (a write cut by kill -9), keeps the rest, and appends on a line of its own", async () => {
    const path = join(folder, "journal.jsonl");
    const journal = FileJournal.open(path);
    journal.append(model, { durable: true });
    await journal.close();
    appendFileSync(path, '{"kind":"model","step":"main.prose:4:1 model#1","fingerpr');
    const reopened = FileJournal.open(path);
    expect(reopened.opening).toEqual({ replayable: 1, tornLine: true, skippedLines: 0, oversizeLines: 0 });
    expect(reopened.step("main.prose:4:1 model#1")).toBeUndefined();
    reopened.append(clock);
    await reopened.close();
    const again = FileJournal.open(path);
    expect(again.opening).toEqual({ replayable: 2, tornLine: false, skippedLines: 0, oversizeLines: 0 });
    expect(again.step(clock.step)).toEqual(clock);
    await again.close();
  });

  it("skips whole lines that are not records, and says how many", async () => {
    const path = join(folder, "journal.jsonl");
    writeFileSync(path, `${JSON.stringify({ prose: "journal", version: 1 })}\nnot json\n${JSON.stringify({ kind: "teleport", step: "x" })}\n${JSON.stringify(clock)}\n`);
    const journal = FileJournal.open(path);
    expect(journal.opening).toEqual({ replayable: 1, tornLine: false, skippedLines: 2, oversizeLines: 0 });
    expect(journal.step(clock.step)).toEqual(clock);
    await journal.close();
  });

  it("refuses to write once closed", async () => {
    const journal = FileJournal.open(join(folder, "journal.jsonl"));
    await journal.close();
    expect(() => journal.append(clock)).toThrow(/closed/);
  });
});

describe("the memory journal", () => {
  it("starts from earlier records", async () => {
    const journal = new MemoryJournal([model, answer]);
    expect(journal.step(model.step)).toEqual(model);
    expect(journal.answers.get("q-0123456789ab")).toEqual({ value: "Acme" });
    journal.append(clock);
    expect(journal.records).toEqual([model, answer, clock]);
  });
});
