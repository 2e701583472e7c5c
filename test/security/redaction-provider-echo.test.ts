import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ByomHarness } from "../support/byom-harness.js";
import { jsonResponse, type RecordedRequest, type ScriptedResponse, type ScriptedServer, startScriptedServer } from "../support/scripted-server.js";
import { describeSightings, echoedForms, findCanary } from "../support/canary-forms.js";

/**
 * Finding 5: a provider's error body that echoes the key in another form than the raw one (base64,
 * a lower-case `authorization: bearer <key>` header, hex, URL-encoded) was printed and written to
 * run.json. The local server echoes what it really received, in each form, with 400, 401 and 500.
 */
const canary = "sk-RedactCanary7fQx2LmZ9/TzKp+4WbN8dHsV";

let harness: ByomHarness;
let server: ScriptedServer;
/** What the server answers now: the body's message is made from the request it received. */
let answerWith: (request: RecordedRequest) => ScriptedResponse;

beforeEach(async () => {
  harness = await ByomHarness.create();
  harness.realStores = true;
  harness.environment = { PROSE_MASTER_KEY: Buffer.alloc(32, 7).toString("base64"), CANARY_KEY: canary };
  server = await startScriptedServer();
  server.route("/v1/chat/completions", (request) => answerWith(request));
});
afterEach(async () => {
  await server.close();
  await harness.dispose();
});

/** The key the server received, from the Authorization header it was sent. */
function receivedKey(request: RecordedRequest): string {
  return (request.headers.authorization ?? "").replace(/^Bearer /, "");
}

describe("a provider error that echoes the key in any form is redacted everywhere", () => {
  const statuses = [400, 401, 500] as const;
  for (const [formName] of Object.entries(echoedForms("x".repeat(24)))) {
    it(`${formName}, with 400, 401 and 500: not printed, not in run.json, the journal or the usage log`, async () => {
      const provider = await harness.add("custom", "--name", "echo", "--base-url", `${server.url}/v1`, "--model", "echo-model", "--api-key-env", "CANARY_KEY", "--retries", "0");
      const script = join(harness.folder, "ask.prose");
      await writeFile(script, `ask the model "Say hello"\n    the model provider is "${provider}"\nsay the answer\n`);
      for (const status of statuses) {
        answerWith = (request) => {
          const echoed = echoedForms(receivedKey(request))[formName]!;
          return jsonResponse(status, { error: { message: `upstream said: ${echoed}`, type: "invalid_request_error", code: null } });
        };
        for (const json of [false, true]) {
          const outcome = await harness.prose("run", script, ...(json ? ["--json"] : []));
          expect(outcome.code, `status ${status}${json ? " --json" : ""}: ${outcome.err.join("\n")}`).toBe(1);
          expect([...outcome.out, ...outcome.err].join("\n")).toContain("[redacted]");
        }
      }
      expect(server.requests.every((request) => receivedKey(request) === canary)).toBe(true);
      expect(server.requests).toHaveLength(statuses.length * 2);

      const sightings = findCanary(canary, harness.printed.join("\n"), "printed lines");
      const files = await harness.files();
      const runFiles = files.filter((file) => file.path.endsWith("run.json"));
      expect(runFiles).toHaveLength(statuses.length * 2);
      for (const file of runFiles) expect(JSON.parse(file.contents.toString("utf8")).error?.message ?? "").toContain("[redacted]");
      for (const file of files) sightings.push(...findCanary(canary, file.contents, file.path));
      expect(sightings, describeSightings(sightings)).toEqual([]);
    });
  }
});

describe("what the server echoed really held the key", () => {
  it("each echoed form, taken back, gives the key (the test is not vacuous)", () => {
    const forms = echoedForms(canary);
    expect(forms["lower-case authorization header"]).toContain(canary.toLowerCase());
    expect(Buffer.from(forms["base64 of the key"]!.split(" ").at(-1)!, "base64").toString()).toBe(canary);
    expect(Buffer.from(forms["basic credentials"]!.split(" ").at(-1)!, "base64").toString()).toBe(`user:${canary}`);
    expect(Buffer.from(forms["base64 of a JSON blob"]!.split(" ").at(-1)!, "base64").toString()).toContain(canary);
    expect(Buffer.from(forms["base64 at offset 2"]!.split(" ").at(-1)!, "base64").toString()).toBe(`ab${canary}cd`);
    expect(Buffer.from(forms["upper-case hex"]!.split(" ").at(-1)!, "hex").toString()).toBe(canary);
    expect(decodeURIComponent(forms["URL-encoded"]!.split("api_key=")[1]!.split("&")[0]!)).toBe(canary);
    expect(new URLSearchParams(forms["form-encoded"]!.split("body ")[1]!).get("api_key")).toBe(`${canary} `);
    for (const [name, echoed] of Object.entries(forms)) expect(findCanary(canary, echoed, name), name).not.toEqual([]);
  });
});

it("the run.json of a failed run holds the redacted message (read directly)", async () => {
  const provider = await harness.add("custom", "--name", "echo", "--base-url", `${server.url}/v1`, "--model", "echo-model", "--api-key-env", "CANARY_KEY", "--retries", "0");
  const script = join(harness.folder, "ask.prose");
  await writeFile(script, `ask the model "Say hello"\n    the model provider is "${provider}"\n`);
  answerWith = (request) => jsonResponse(401, { error: { message: `Invalid authorization: bearer ${receivedKey(request).toLowerCase()}`, type: "invalid_request_error" } });
  const outcome = await harness.prose("run", script, "--json");
  const printed = JSON.parse(outcome.out.at(-1)!) as { runId: string; error: { message: string } };
  expect(printed.error.message).toContain("bearer [redacted]");
  const stored = JSON.parse(await readFile(join(harness.workspace, "runs", printed.runId, "run.json"), "utf8")) as { error: { message: string } };
  expect(stored.error.message).toContain("bearer [redacted]");
  expect(stored.error.message.toLowerCase()).not.toContain(canary.toLowerCase());
});
