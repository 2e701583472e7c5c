import { mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { Readable, Writable } from "node:stream";
import { join } from "node:path";
import { replCommand } from "../../src/cli/repl-command.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ByomHarness, type Outcome } from "../support/byom-harness.js";
import { anthropicError, anthropicText } from "../support/anthropic-server.js";
import { openAiCompletion, openAiError } from "../support/openai-server.js";
import { startSsmServer } from "../support/ssm-server.js";
import { type RecordedRequest, type ScriptedResponse, type ScriptedServer, startScriptedServer } from "../support/scripted-server.js";
import { type CanarySighting, describeSightings, echoedForms, findCanary } from "../support/canary-forms.js";

/**
 * The canary sweep: distinctive keys are stored as providers' keys (the real encrypted local store),
 * then every command runs, succeeding and failing, with and without --json, while a local server
 * echoes the key it received in every form in its error bodies. Afterwards every printed line and
 * every file under the test's folders is searched for the keys in every form (canary-forms.ts).
 */
const canary = "sk-SweepCanaryQ7vXr2Lm9/TzKp+4WbN8dHsFj";
/** The key a rotation switches to, searched for as well. */
const rotatedCanary = "sk-RotatedCanaryM3kPz8/Qw5+Yt2VbL7nCxRh";

let harness: ByomHarness;
let server: ScriptedServer;
let outside: string;
/** What the server answers next: "ok", or an error body echoing the key it received. */
let mode: { kind: "ok" } | { kind: "echo"; form: string; status: number } | { kind: "slow" } = { kind: "ok" };
/** Every command run, with what it printed, for the report of where a key was seen. */
const transcript: Array<{ command: string; outcome: Outcome }> = [];

function receivedKey(request: RecordedRequest): string {
  return request.headers["x-api-key"] ?? (request.headers.authorization ?? "").replace(/^Bearer /, "");
}

function answer(request: RecordedRequest): ScriptedResponse {
  const anthropic = request.path.endsWith("/messages");
  if (mode.kind === "ok") return anthropic ? anthropicText("OK") : openAiCompletion("OK");
  if (mode.kind === "slow") return { ...openAiCompletion("late"), delayMilliseconds: 3_000 } as ScriptedResponse;
  const message = `upstream refused the call: ${echoedForms(receivedKey(request))[mode.form]}`;
  return anthropic
    ? anthropicError(mode.status, mode.status === 401 ? "authentication_error" : mode.status === 400 ? "invalid_request_error" : "api_error", message)
    : openAiError(mode.status, { message, type: "invalid_request_error", code: null });
}

async function prose(...argv: string[]): Promise<Outcome> {
  const outcome = await harness.prose(...argv);
  transcript.push({ command: `prose ${argv.join(" ")}`, outcome });
  return outcome;
}

async function expectCode(code: number, ...argv: string[]): Promise<Outcome> {
  const outcome = await prose(...argv);
  expect(outcome.code, `prose ${argv.join(" ")}\n${outcome.err.join("\n")}`).toBe(code);
  return outcome;
}

async function script(name: string, source: string): Promise<string> {
  const path = join(harness.folder, name);
  await writeFile(path, source);
  return path;
}

async function everyFile(folder: string): Promise<Array<{ path: string; contents: Buffer }>> {
  const found: Array<{ path: string; contents: Buffer }> = [];
  const walk = async (current: string): Promise<void> => {
    for (const entry of await readdir(current, { withFileTypes: true })) {
      const path = join(current, entry.name);
      if (entry.isDirectory()) await walk(path);
      else if ((await stat(path)).isFile()) found.push({ path, contents: await readFile(path) });
    }
  };
  await walk(folder);
  return found;
}

beforeAll(async () => {
  harness = await ByomHarness.create();
  harness.realStores = true;
  outside = await mkdtemp(join(tmpdir(), "prose-canary-sweep-"));
  server = await startScriptedServer();
  server.route("/v1/chat/completions", answer);
  server.route("/v1/messages", answer);
  harness.environment = { PROSE_MASTER_KEY: Buffer.alloc(32, 5).toString("base64"), CANARY_KEY: canary, ROTATED_KEY: rotatedCanary };
});
afterAll(async () => {
  await server.close();
  await harness.dispose();
  await rm(outside, { recursive: true, force: true });
});

describe("the canary sweep", () => {
  const ids: Record<string, string> = {};
  const runIds: string[] = [];
  const forms = Object.keys(echoedForms(canary));

  it("byom add, list, show, default, fallback and refused keys", async () => {
    ids.custom = (await expectCode(0, "byom", "add", "custom", "--name", "sweep custom", "--base-url", `${server.url}/v1`, "--model", "sweep-model", "--api-key-env", "CANARY_KEY", "--retries", "0")).out[0]!;
    harness.standardInput = `${canary}\n`;
    const openAi = await expectCode(0, "byom", "add", "openai", "--name", "sweep openai", "--base-url", `${server.url}/v1`, "--model", "gpt-4.1-mini", "--api-key-stdin", "--retries", "0", "--json");
    ids.openai = (JSON.parse(openAi.out[0]!) as { id: string }).id;
    const keyFile = join(outside, "anthropic.key");
    await writeFile(keyFile, canary);
    ids.anthropic = (await expectCode(0, "byom", "add", "anthropic", "--base-url", server.url, "--model", "claude-haiku-4-5", "--credentials-file", keyFile, "--retries", "0")).out[0]!;
    // The person's own key file is theirs, not Prose's output: it is not part of the sweep.
    await rm(keyFile);
    for (const id of Object.values(ids)) expect(id).toMatch(/^[a-z]/);

    // Keys typed where they do not belong are refused without being repeated.
    await expectCode(2, "byom", "add", "openai", "--api-key", canary);
    await expectCode(2, "byom", "add", "openai", `--apikey=${canary}`, "--json");
    await expectCode(2, "byom", "add", "custom", "--name", canary, "--base-url", `${server.url}/v1`, "--model", "m");
    await expectCode(2, "byom", "add", "custom", "--base-url", `${server.url}/v1?api_key=${canary}`, "--model", "m", "--json");
    await expectCode(2, "byom", "rotate", ids.openai!, canary);
    harness.standardInput = "";
    await expectCode(2, "byom", "add", "openai", "--api-key-stdin", "--json");

    for (const json of [[], ["--json"]]) {
      await expectCode(0, "byom", "list", ...json);
      for (const id of Object.values(ids)) await expectCode(0, "byom", "show", id, ...json);
      await expectCode(0, "byom", "default", ids.custom!, ...json);
      await expectCode(0, "byom", "fallback", ids.anthropic!, ids.openai!, ...json);
      await expectCode(0, "byom", "store", ...json);
    }
  });

  it("byom verify, succeeding and failing with the key echoed in every form", { timeout: 120_000 }, async () => {
    mode = { kind: "ok" };
    for (const id of Object.values(ids)) await expectCode(0, "byom", "verify", id);
    for (const form of forms) {
      for (const status of [400, 401, 500]) {
        mode = { kind: "echo", form, status };
        for (const id of Object.values(ids)) await expectCode(1, "byom", "verify", id, ...(status === 401 ? ["--json"] : []));
      }
    }
  });

  it("prose check and prose run: succeeding, failing with every echo, falling back, waiting on a question, timing out, resumed", { timeout: 120_000 }, async () => {
    const scripts: Record<string, string> = {};
    for (const [name, id] of Object.entries(ids)) {
      scripts[name] = await script(`${name}.prose`, `ask the model "Say hello"\n    the model provider is "${id}"\nsay the answer\n`);
    }
    const waiting = await script("waiting.prose", `ask the model "Say hello"\n    the model provider is "${ids.custom}"\nask "Which vendor should get the answer?"\nsay the answer\n`);
    const fallingBack = await script("falling-back.prose", 'ask the model "Say hello"\nsay the answer\n');
    for (const path of [...Object.values(scripts), waiting, fallingBack]) {
      await expectCode(0, "check", path);
      await expectCode(0, "check", path, "--agent", "default");
    }

    mode = { kind: "ok" };
    for (const path of Object.values(scripts)) {
      await expectCode(0, "run", path);
      await expectCode(0, "run", path, "--json", "--project", "sweep");
    }
    for (const form of forms) {
      for (const status of [400, 401, 500]) {
        mode = { kind: "echo", form, status };
        for (const name of ["custom", "anthropic"]) {
          const outcome = await expectCode(1, "run", scripts[name]!, ...(status === 500 ? ["--json"] : []));
          expect([...outcome.out, ...outcome.err].join("\n")).toContain("[redacted]");
        }
      }
    }
    // The default provider fails with a retryable error: the fallbacks are tried, with warnings, and fail too.
    mode = { kind: "echo", form: "lower-case authorization header", status: 500 };
    const fellBack = await expectCode(1, "run", fallingBack);
    expect(fellBack.err.join("\n")).toMatch(/Trying provider/);
    await expectCode(1, "run", fallingBack, "--json");

    mode = { kind: "ok" };
    const waited = await expectCode(3, "run", waiting, "--json");
    const waitingRun = (JSON.parse(waited.out.at(-1)!) as { runId: string }).runId;
    await expectCode(3, "run", waiting);
    await expectCode(0, "run", "--resume", waitingRun, "--answer", "Which vendor should get the answer?=ACME");

    // prose test: recording the model calls (failing with an echo, then succeeding), then replaying them.
    const testFile = await script("custom.test.prose", 'test "hello"\nrun the script "custom.prose"\nexpect the error to be nothing\nexpect the output to contain "OK"\n');
    mode = { kind: "echo", form: "lower-case authorization header", status: 401 };
    const failedTest = await expectCode(1, "test", testFile, "--record");
    expect(failedTest.out.join("\n")).toContain("[redacted]");
    mode = { kind: "ok" };
    await expectCode(0, "test", testFile, "--record");
    await expectCode(0, "test", testFile);

    // prose repl: a session whose model call fails with an echo, then one whose call succeeds.
    for (const replMode of [{ kind: "echo", form: "base64 of the key", status: 401 } as const, { kind: "ok" } as const]) {
      mode = replMode;
      const replOutput: string[] = [];
      const replWriter = { out: (line: string) => replOutput.push(line), err: (line: string) => replOutput.push(line) };
      const replInput = Readable.from(['ask the model "Say hello"\n', "say the answer\n"]);
      const replEcho = new Writable({ write: (chunk, _encoding, done) => (replOutput.push(String(chunk)), done()) });
      const replCode = await replCommand({ environment: harness.environment, services: { currentDirectory: harness.folder }, input: replInput, output: replEcho, terminal: false }, replWriter);
      transcript.push({ command: `prose repl (${replMode.kind})`, outcome: { code: replCode, out: replOutput, err: [] } });
      expect(replOutput.join("\n"), replOutput.join("\n")).toContain(replMode.kind === "ok" ? "OK" : "[redacted]");
    }

    mode = { kind: "slow" };
    await expectCode(124, "run", scripts.custom!, "--timeout", "1");
    mode = { kind: "ok" };

    // A script run with the agent the standard environment variables serve.
    harness.environment = { ...harness.environment, OPENAI_API_KEY: canary, OPENAI_BASE_URL: `${server.url}/v1` };
    mode = { kind: "echo", form: "base64 of a JSON blob", status: 401 };
    await expectCode(1, "run", fallingBack, "--agent", "nobody", "--json");
    mode = { kind: "ok" };
    await expectCode(0, "run", fallingBack, "--agent", "nobody");

    const listed = await expectCode(0, "runs", "list", "--json");
    runIds.push(...JSON.stringify(JSON.parse(listed.out.join("\n"))).match(/run-\d{8}T\d{6}-[a-z0-9]+/g)!);
    expect(new Set(runIds).size).toBeGreaterThanOrEqual(79);
  });

  it("prose usage and prose runs", { timeout: 120_000 }, async () => {
    for (const json of [[], ["--json"]]) {
      await expectCode(0, "usage", ...json);
      await expectCode(0, "usage", "--by", "provider", ...json);
      await expectCode(0, "runs", "list", ...json);
      for (const id of [...new Set(runIds)]) await expectCode(0, "runs", "show", id, ...json);
    }
  });

  it("byom rotate (failing its test call, then succeeding) and remove", async () => {
    harness.environment = { ...harness.environment, OPENAI_API_KEY: "" };
    for (const form of ["lower-case authorization header", "base64 of the key", "upper-case hex"]) {
      mode = { kind: "echo", form, status: 401 };
      await expectCode(2, "byom", "rotate", ids.openai!, "--api-key-env", "ROTATED_KEY");
      await expectCode(2, "byom", "rotate", ids.custom!, "--api-key-env", "ROTATED_KEY", "--json");
    }
    mode = { kind: "ok" };
    await expectCode(0, "byom", "rotate", ids.openai!, "--api-key-env", "ROTATED_KEY");
    await expectCode(0, "byom", "rotate", ids.custom!, "--api-key-env", "ROTATED_KEY", "--json");
    mode = { kind: "echo", form: "basic credentials", status: 401 };
    await expectCode(1, "run", join(harness.folder, "openai.prose"), "--json");
    await expectCode(1, "byom", "verify", ids.custom!);
    await expectCode(0, "byom", "remove", ids.anthropic!, "--json");
    await expectCode(0, "byom", "remove", ids.openai!);
    await expectCode(0, "byom", "list", "--json");
  });

  it("with the AWS SSM store (the project's emulator): switching, running, verifying, access denied, outage, and back", { timeout: 120_000 }, async () => {
    const ssm = await startSsmServer({ region: "us-east-1" });
    try {
      harness.environment = { ...harness.environment, AWS_ACCESS_KEY_ID: "AKIDSWEEPTEST", AWS_SECRET_ACCESS_KEY: "sweep-test-aws-secret" };
      await expectCode(0, "byom", "store", "aws-ssm", "--prefix", "/prose", "--region", "us-east-1", "--endpoint", ssm.url, "--json");
      expect([...ssm.parameters.values()].some((parameter) => parameter.value === rotatedCanary)).toBe(true);
      const path = join(harness.folder, "custom.prose");
      mode = { kind: "ok" };
      await expectCode(0, "run", path);
      await expectCode(0, "byom", "verify", ids.custom!, "--json");
      mode = { kind: "echo", form: "upper-case authorization header", status: 401 };
      await expectCode(1, "run", path, "--json");
      await expectCode(1, "byom", "verify", ids.custom!);
      mode = { kind: "ok" };
      ssm.denyAccess(["GetParameter"]);
      for (const json of [[], ["--json"]]) expect((await prose("run", path, ...json)).code).not.toBe(0);
      ssm.denyAccess(undefined);
      ssm.setOutage("503");
      for (const json of [[], ["--json"]]) {
        expect((await prose("run", path, ...json)).code).not.toBe(0);
        await prose("byom", "show", ids.custom!, ...json);
      }
      ssm.setOutage(undefined);
      await expectCode(0, "byom", "list");
      await expectCode(0, "byom", "store", "local");
      await expectCode(0, "run", path);
    } finally {
      await ssm.close();
    }
  });

  it("no form of either key is in any printed line or any file of the test's folders, the encrypted store included", async () => {
    expect(transcript.length).toBeGreaterThan(250);
    const redacted = transcript.filter(({ outcome }) => [...outcome.out, ...outcome.err].some((line) => line.includes("[redacted]")));
    expect(redacted.length).toBeGreaterThan(100);
    // The keys were really sent: the server saw both, in clear, in its headers.
    expect(server.requests.some((request) => receivedKey(request) === canary)).toBe(true);
    expect(server.requests.some((request) => receivedKey(request) === rotatedCanary)).toBe(true);
    // The search itself finds a key where one is (the requests' headers hold it in clear).
    expect(findCanary(canary, JSON.stringify(server.requests.map((request) => request.headers)), "the server's requests")).not.toEqual([]);

    const sightings: CanarySighting[] = [];
    for (const key of [canary, rotatedCanary]) {
      for (const { command, outcome } of transcript) {
        sightings.push(...findCanary(key, outcome.out.join("\n"), `stdout of ${command}`));
        sightings.push(...findCanary(key, outcome.err.join("\n"), `stderr of ${command}`));
      }
    }
    const files = [...(await everyFile(harness.folder)), ...(await everyFile(outside))];
    const names = files.map((file) => file.path.slice(harness.folder.length));
    expect(names).toEqual(expect.arrayContaining([join("/.prose", "secrets.enc.json"), join("/.prose", "agents", "default.json")]));
    expect(names.some((name) => name.endsWith("run.json"))).toBe(true);
    expect(names.some((name) => name.endsWith("journal.jsonl"))).toBe(true);
    expect(names.some((name) => name.includes(`${join("/.prose", "usage")}`))).toBe(true);
    for (const file of files) for (const key of [canary, rotatedCanary]) sightings.push(...findCanary(key, file.contents, file.path));
    expect(sightings, describeSightings(sightings)).toEqual([]);
  });
});
