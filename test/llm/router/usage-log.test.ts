import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { readUsageRecords, UsageLog } from "../../../src/llm/router/usage-log.js";
import type { UsageRecord } from "../../../src/llm/router/usage-record.js";

let workspace: string;
beforeEach(async () => {
  workspace = await mkdtemp(join(tmpdir(), "prose-usage-"));
});
afterEach(async () => {
  await rm(workspace, { recursive: true, force: true });
});

export function usageRecord(overrides: Partial<UsageRecord> = {}): UsageRecord {
  return {
    time: "2026-11-23T10:00:00.000Z",
    runId: "run-20261123T100000-abc123",
    agent: "default",
    project: null,
    providerId: "openai-main",
    providerType: "openai",
    model: "gpt-4.1-mini",
    inputTokens: 19,
    outputTokens: 10,
    latencyMs: 120,
    queuedMs: 0,
    costUsd: 0.0000236,
    outcome: "ok",
    status: null,
    call: 1,
    attempt: 1,
    fallbackFrom: null,
    ...overrides,
  };
}

describe("usage log", () => {
  it("appends one whole line per record to the month's file, and reads them back filtered", async () => {
    const log = new UsageLog(workspace);
    log.record(usageRecord({ time: "2026-10-31T23:59:59.000Z", agent: "bot" }));
    log.record(usageRecord({ outcome: "rate-limit", status: 429, inputTokens: null, outputTokens: null, costUsd: 0 }));
    await log.flush();
    log.record(usageRecord({ project: "q4", attempt: 2 }));
    await log.flush();
    const november = (await readFile(join(workspace, "usage", "2026-11.jsonl"), "utf8")).split("\n");
    expect(november).toHaveLength(3);
    expect(november[2]).toBe("");
    expect(JSON.parse(november[0])).toEqual(usageRecord({ outcome: "rate-limit", status: 429, inputTokens: null, outputTokens: null, costUsd: 0 }));
    expect((await readFile(join(workspace, "usage", "2026-10.jsonl"), "utf8")).trim().split("\n")).toHaveLength(1);

    expect((await readUsageRecords(workspace)).records).toHaveLength(3);
    expect((await readUsageRecords(workspace, { agent: "bot" })).records.map((record) => record.time)).toEqual(["2026-10-31T23:59:59.000Z"]);
    expect((await readUsageRecords(workspace, { project: "q4" })).records.map((record) => record.attempt)).toEqual([2]);
    expect((await readUsageRecords(workspace, { since: new Date("2026-11-01T00:00:00Z") })).records).toHaveLength(2);
  });

  it("skips a line a crash cut short, counting it", async () => {
    await mkdir(join(workspace, "usage"));
    await writeFile(join(workspace, "usage", "2026-11.jsonl"), `${JSON.stringify(usageRecord())}\n{"time":"2026-11-23T1`);
    expect(await readUsageRecords(workspace)).toEqual({ records: [usageRecord()], unreadableLines: 1 });
    expect(await readUsageRecords(join(workspace, "nowhere"))).toEqual({ records: [], unreadableLines: 0 });
  });

  it("says once that records could not be written, without failing the calls", async () => {
    // A file where the usage folder should be: nobody, not even root, can write records under it.
    await writeFile(join(workspace, "usage"), "not a folder");
    const problems: string[] = [];
    const log = new UsageLog(workspace, (message) => problems.push(message));
    log.record(usageRecord());
    log.record(usageRecord());
    await log.flush();
    log.record(usageRecord());
    await log.flush();
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain(`Usage records could not be written to ${join(workspace, "usage", "2026-11.jsonl")}`);
  });

  it("writes records in the background, without waiting for the run's end, as whole lines", async () => {
    const log = new UsageLog(workspace);
    const file = join(workspace, "usage", "2026-11.jsonl");
    for (let call = 1; call <= 40; call++) log.record(usageRecord({ call }));
    const written = async () => (await readFile(file, "utf8").catch(() => "")).split("\n").filter((line) => line !== "");
    const deadline = Date.now() + 5000;
    while ((await written()).length < 40 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
    expect((await written()).map((line) => (JSON.parse(line) as UsageRecord).call)).toEqual(Array.from({ length: 40 }, (_, index) => index + 1));
    await log.flush();
  });
});
