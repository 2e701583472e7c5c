import { writeFile } from "node:fs/promises";
import type { UsageRecord } from "../../src/llm/router/usage-record.js";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openAiCompletion, openAiErrors } from "../support/openai-server.js";
import { type ScriptedResponse, type ScriptedServer, startScriptedServer } from "../support/scripted-server.js";
import { ByomHarness } from "../support/byom-harness.js";

/**
 * `prose run` through the router with the agent's BYOM configuration: the fallback chain set with
 * `prose byom fallback`, broken fallbacks skipped, per-provider retries and timeouts, usage records
 * in the workspace and `prose usage`, `--json` usage, and cancellation by Ctrl-C and --timeout.
 * Providers are configured with `--retries 0` where a retry would wait out a real backoff.
 */
let harness: ByomHarness;
let mainServer: ScriptedServer;
let backupServer: ScriptedServer;
let mainId: string;
let backupId: string;

beforeEach(async () => {
  harness = await ByomHarness.create();
  [mainServer, backupServer] = await Promise.all([startScriptedServer(), startScriptedServer()]);
  harness.environment = { MAIN_KEY: "sk-main-0123456789abcdefghijkl", BACKUP_KEY: "sk-backup-0123456789abcdefghij" };
  mainId = await harness.add("openai", "--agent", "bot", "--name", "main", "--base-url", `${mainServer.url}/v1`, "--model", "gpt-4.1-mini", "--api-key-env", "MAIN_KEY", "--retries", "0");
  backupId = await harness.add("openai", "--agent", "bot", "--name", "backup", "--base-url", `${backupServer.url}/v1`, "--model", "gpt-4.1-nano", "--api-key-env", "BACKUP_KEY");
});
afterEach(async () => {
  await Promise.all([mainServer.close(), backupServer.close()]);
  await harness.dispose();
});

async function script(source: string): Promise<string> {
  const path = join(harness.folder, "script.prose");
  await writeFile(path, source);
  return path;
}


const hello = 'ask the model "Say hello"\nsay the answer\n';

describe("prose run through the router", () => {
  it("falls back along the agent's chain, says so, and records every attempt with the run's id", async () => {
    expect((await harness.prose("byom", "fallback", backupId, "--agent", "bot")).code).toBe(0);
    mainServer.enqueue(openAiErrors.serverError());
    backupServer.enqueue(openAiCompletion("Hello from the backup", { inputTokens: 2000, outputTokens: 100 }));
    const outcome = await harness.prose("run", await script(hello), "--agent", "bot", "--project", "q4", "--json");
    expect(outcome.code).toBe(0);
    const json = JSON.parse(outcome.out[0]) as { runId: string; output: string[]; usage: Record<string, unknown> };
    expect(json.output).toEqual(["Hello from the backup"]);
    expect(json.usage).toEqual({ agent: "bot", project: "q4", modelCalls: 1, inputTokens: 2000, outputTokens: 100, attempts: 2, failedAttempts: 1, estimatedCostUsd: 0.00024, unpricedAttempts: 0 });
    expect(outcome.err).toEqual([expect.stringMatching(new RegExp(`^warning: Provider "${mainId}" \\(openai\\), model "gpt-4\\.1-mini": the provider failed \\(500\\).* Trying provider "${backupId}" \\(openai\\), model "gpt-4\\.1-nano" instead\\.$`))]);
    expect(mainServer.requests).toHaveLength(1);
    expect(backupServer.requests[0].headers.authorization).toBe("Bearer sk-backup-0123456789abcdefghij");

    const records = await harness.usageRecords();
    expect(records.map((record) => [record.providerId, record.model, record.outcome, record.attempt, record.fallbackFrom])).toEqual([
      [mainId, "gpt-4.1-mini", "server", 1, null],
      [backupId, "gpt-4.1-nano", "ok", 2, { providerId: mainId, model: "gpt-4.1-mini" }],
    ]);
    for (const record of records) expect(record).toMatchObject({ runId: json.runId, agent: "bot", project: "q4", providerType: "openai", call: 1 });
    // Never a secret, a prompt or an answer.
    const text = JSON.stringify(records);
    for (const secret of ["sk-main-0123456789abcdefghijkl", "sk-backup-0123456789abcdefghij", "Say hello", "Hello from the backup"]) expect(text).not.toContain(secret);
  });

  it("skips a fallback without a credential, and a disabled one, with a warning each", async () => {
    const brokenId = await harness.add("anthropic", "--agent", "bot", "--name", "no key", "--api-key-env", "MAIN_KEY");
    await harness.localStore.delete({ agent: "bot", providerId: brokenId, version: 1 });
    const retiredId = await harness.add("openai", "--agent", "bot", "--name", "retired", "--base-url", `${backupServer.url}/v1`, "--api-key-env", "MAIN_KEY");
    const config = await harness.agentFile("bot");
    for (const provider of config.providers as Array<{ id: string; enabled: boolean }>) if (provider.id === retiredId) provider.enabled = false;
    await writeFile(join(harness.workspace, "agents", "bot.json"), JSON.stringify(config));
    expect((await harness.prose("byom", "fallback", brokenId, retiredId, backupId, "--agent", "bot")).code).toBe(0);
    mainServer.enqueue(openAiErrors.overloaded());
    backupServer.enqueue(openAiCompletion("Still answered"));
    const outcome = await harness.prose("run", await script(hello), "--agent", "bot");
    expect(outcome.code).toBe(0);
    expect(outcome.out).toEqual(["Still answered"]);
    expect(outcome.err).toContain(`warning: The fallback provider "${brokenId}" (anthropic), model "claude-haiku-4-5" was skipped: The credential of provider "${brokenId}" (agent "bot") could not be read: No secret for provider "${brokenId}" version 1 of agent "bot".`);
    expect(outcome.err).toContain(`warning: The fallback provider "${retiredId}" (openai), model "gpt-4.1-mini" was skipped: The provider "${retiredId}" is disabled. Enable it with \`prose byom enable ${retiredId} --agent bot\`, or name another provider.`);
    expect(backupServer.requests).toHaveLength(1);
    expect((await harness.usageRecords()).map((record) => `${record.providerId} ${record.outcome}`)).toEqual([`${mainId} server`, `${backupId} ok`]);
  });

  it("fails at once on a rejected key, naming the provider, the model and the fix, without falling back", async () => {
    expect((await harness.prose("byom", "fallback", backupId, "--agent", "bot")).code).toBe(0);
    mainServer.enqueue(openAiErrors.invalidKey());
    const outcome = await harness.prose("run", await script(hello), "--agent", "bot");
    expect(outcome.code).toBe(1);
    expect(outcome.err.join("\n")).toContain(`Provider "${mainId}" (openai), model "gpt-4.1-mini": the key was rejected (401): check the API key of provider "${mainId}".`);
    expect(backupServer.requests).toHaveLength(0);
  });

  it("applies a provider's timeout (byom add --timeout), then falls back", async () => {
    const slowId = await harness.add("openai", "--agent", "bot", "--name", "slow", "--base-url", `${mainServer.url}/v1`, "--model", "gpt-4o", "--api-key-env", "MAIN_KEY", "--retries", "0", "--timeout", "0.2");
    expect((await harness.prose("byom", "show", slowId, "--agent", "bot")).out).toContain("limits      0 retries, 0.2 s an attempt");
    expect((await harness.prose("byom", "fallback", backupId, "--agent", "bot")).code).toBe(0);
    mainServer.enqueue({ ...openAiCompletion("too late"), delayMilliseconds: 1500 } as ScriptedResponse);
    backupServer.enqueue(openAiCompletion("In time"));
    const outcome = await harness.prose("run", await script(`ask the model "Say hello"\n    the model provider is "${slowId}"\nsay the answer\n`), "--agent", "bot");
    expect(outcome.out).toEqual(["In time"]);
    expect((await harness.usageRecords()).map((record) => `${record.model} ${record.outcome}`)).toEqual(["gpt-4o timeout", "gpt-4.1-nano ok"]);
  });

  it("refuses retries and timeouts it cannot read", async () => {
    const retries = await harness.prose("byom", "add", "openai", "--agent", "bot", "--api-key-env", "MAIN_KEY", "--retries", "many");
    expect(retries).toMatchObject({ code: 2, err: ['error: --retries must be a whole number from 0 to 10, not "many".', "  For example --retries 2 (0 sends each model one attempt)."] });
    const timeout = await harness.prose("byom", "add", "openai", "--agent", "bot", "--api-key-env", "MAIN_KEY", "--timeout", "0");
    expect(timeout.err[0]).toBe('error: --timeout must be a number of seconds above 0 (at most 3600), not "0".');
  });
});

describe("stopping a run", () => {
  it("--timeout cancels the call in flight, records it, and exits 124 with a clear message", async () => {
    mainServer.enqueue({ ...openAiCompletion("never"), delayMilliseconds: 5000 } as ScriptedResponse);
    const file = await script(hello);
    const started = Date.now();
    const outcome = await harness.prose("run", file, "--agent", "bot", "--timeout", "0.3");
    expect(Date.now() - started).toBeLessThan(3000);
    expect(outcome.code).toBe(124);
    expect(outcome.out).toEqual([]);
    expect(outcome.err[0]).toBe(`stopped: the run went past its --timeout of 0.3 s; the model calls in flight were cancelled. It stopped at ${file}:1:1.`);
    expect(outcome.err[1]).toMatch(/^run run-\S+: prose run --resume run-\S+ runs it again/);
    expect((await harness.usageRecords()).map((record) => `${record.providerId} ${record.outcome}`)).toEqual([`${mainId} aborted`]);
    // Nothing half-written in the workspace.
    const files = await harness.files();
    expect(files.filter((file) => /\.tmp$|\.lock$/.test(file.path))).toEqual([]);
  });

  it("Ctrl-C cancels the call in flight, records it, and exits 130", async () => {
    let interrupt: (() => void) | undefined;
    harness.services = {
      onInterrupt: (handler) => {
        interrupt = handler;
        return () => (interrupt = undefined);
      },
    };
    mainServer.route("/v1/chat/completions", () => {
      setTimeout(() => interrupt?.(), 20);
      return { ...openAiCompletion("never"), delayMilliseconds: 5000 } as ScriptedResponse;
    });
    const outcome = await harness.prose("run", await script(`${hello}say "after"\n`), "--agent", "bot", "--json");
    expect(outcome.code).toBe(130);
    const json = JSON.parse(outcome.out[0]) as { stopped: string; output: string[]; usage: Record<string, unknown> };
    expect(json).toMatchObject({ stopped: "interrupted", output: [], usage: { attempts: 1, failedAttempts: 1 } });
    expect(mainServer.requests).toHaveLength(1);
    expect(interrupt).toBeUndefined();
    expect((await harness.usageRecords()).map((record) => record.outcome)).toEqual(["aborted"]);
  });
});

describe("prose usage", () => {
  it("sums the records by provider, model, agent or project, over a time range, as text or JSON", async () => {
    const folder = join(harness.workspace, "usage");
    const record = (overrides: Partial<UsageRecord>): string =>
      JSON.stringify({
        time: "2026-11-20T10:00:00.000Z",
        runId: "run-20261120T100000-abc123",
        agent: "bot",
        project: null,
        providerId: "openai-main",
        providerType: "openai",
        model: "gpt-4.1-mini",
        inputTokens: 1000,
        outputTokens: 500,
        latencyMs: 300,
        queuedMs: 0,
        costUsd: 0.0012,
        outcome: "ok",
        status: null,
        call: 1,
        attempt: 1,
        fallbackFrom: null,
        ...overrides,
      });
    await import("node:fs/promises").then(({ mkdir }) => mkdir(folder, { recursive: true }));
    await writeFile(join(folder, "2026-10.jsonl"), `${record({ time: "2026-10-02T09:00:00.000Z", agent: "other" })}\n`);
    await writeFile(
      join(folder, "2026-11.jsonl"),
      [
        record({ project: "q4" }),
        record({ project: "q4", outcome: "rate-limit", status: 429, inputTokens: null, outputTokens: null, costUsd: 0, attempt: 1 }),
        record({ providerId: "custom-vllm", providerType: "custom", model: "llama-3.1-8b", costUsd: null, time: "2026-11-22T10:00:00.000Z" }),
        '{"time": "2026-11-23T1',
      ].join("\n"),
    );
    harness.services = { now: () => new Date("2026-11-23T12:00:00Z") };

    const byProvider = await harness.prose("usage", "--by", "provider");
    expect(byProvider.code).toBe(0);
    expect(byProvider.out).toEqual([
      `Model usage in ${harness.workspace}`,
      "provider     attempts  failed  input tokens  output tokens  est. cost (USD)",
      "openai-main         3       1         2,000          1,000         0.002400",
      "custom-vllm         1       0         1,000            500         0.000000",
      "total               4       1         3,000          1,500         0.002400",
      `Costs are estimates from prices taken on ${(await import("../../src/llm/router/prices.js")).prices.takenOn}. 1 attempt of models without a price is left out of the cost.`,
    ]);
    expect(byProvider.err).toEqual(["warning: 1 line of the usage records could not be read and was left out."]);

    const json = JSON.parse((await harness.prose("usage", "--agent", "bot", "--since", "2d", "--by", "project", "--json")).out[0]) as { rows: Array<{ key: string; attempts: number }>; total: { attempts: number }; filters: Record<string, unknown> };
    expect(json.filters).toEqual({ agent: "bot", project: null, since: "2026-11-21T12:00:00.000Z" });
    expect(json.rows.map((row) => [row.key, row.attempts])).toEqual([["(no project)", 1]]);
    expect((await harness.prose("usage", "--project", "q4", "--since", "2026-11-01", "--json")).out[0]).toContain('"total":{"attempts":2,"failedAttempts":1,"inputTokens":1000,"outputTokens":500,"costUsd":0.0012,"unpricedAttempts":0}');
    expect(await harness.prose("usage", "--by", "day")).toMatchObject({ code: 2, err: ['error: --by "day" is not one of provider, model, agent, project.', "  For example: prose usage --by model"] });
    expect((await harness.prose("usage", "--since", "last week")).err[0]).toBe('error: --since "last week" is neither a date nor a time ago.');
  });

  it("says when nothing is recorded yet", async () => {
    expect((await harness.prose("usage")).out).toEqual([`Model usage in ${harness.workspace}`, "No model calls are recorded yet."]);
  });
});
