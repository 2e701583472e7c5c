import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ByomModelResolver } from "../../src/byom/byom-model-resolver.js";
import { userText } from "../support/model-calls.js";
import { openAiCompletion } from "../support/openai-server.js";
import { type ScriptedServer, startScriptedServer } from "../support/scripted-server.js";
import { ByomHarness } from "../support/byom-harness.js";

const oldKey = "sk-rotation-old-0123456789abcdefghijk";
const newKey = "sk-rotation-new-0123456789abcdefghijk";
const concurrency = 16;

let harness: ByomHarness;
let server: ScriptedServer;
beforeEach(async () => {
  harness = await ByomHarness.create();
  server = await startScriptedServer();
  harness.environment = { OLD_KEY: oldKey, NEW_KEY: newKey };
});
afterEach(async () => {
  await server.close();
  await harness.dispose();
});

interface LoadCall {
  number: number;
  startedAt: number;
  key?: string;
  error?: unknown;
}

describe("prose byom rotate under load", () => {
  it("loses no call: calls before the switch use the old key, calls after it the new one", async () => {
    const id = await harness.add("openai", "--agent", "load", "--base-url", `${server.url}/v1`, "--api-key-env", "OLD_KEY");
    // Every load request answers after a short delay, so calls are in flight when the switch happens.
    const keyOfCall = new Map<number, string>();
    server.route("/v1/chat/completions", (request) => {
      const text = JSON.stringify(request.body);
      const number = /load call (\d+)/.exec(text)?.[1];
      if (number !== undefined) keyOfCall.set(Number(number), request.headers.authorization ?? "");
      return { ...openAiCompletion("ok"), delayMilliseconds: 3 };
    });
    const arrivals: string[] = [];
    const resolver = new ByomModelResolver({ workspace: harness.workspace, agent: "load", environment: {}, openSecretStore: (settings) => harness.storeFor(settings) });

    const calls: LoadCall[] = [];
    let stop = false;
    let next = 0;
    const worker = async () => {
      while (!stop) {
        const call: LoadCall = { number: next++, startedAt: performance.now() };
        calls.push(call);
        try {
          const model = await resolver.resolve({});
          await model.generate(userText(`load call ${call.number}`));
          call.key = keyOfCall.get(call.number);
          arrivals.push(call.key ?? "");
        } catch (error) {
          call.error = error;
        }
      }
    };
    const completed = () => calls.filter((call) => call.key !== undefined || call.error !== undefined).length;
    const until = async (condition: () => boolean) => {
      while (!condition()) await new Promise((resolve) => setTimeout(resolve, 2));
    };
    const workers = Array.from({ length: concurrency }, worker);

    await until(() => completed() >= 150);
    const rotationStarted = performance.now();
    const rotation = await harness.prose("byom", "rotate", id, "--agent", "load", "--api-key-env", "NEW_KEY");
    const rotationEnded = performance.now();
    const doneAtSwitch = completed();
    await until(() => completed() >= doneAtSwitch + 150);
    stop = true;
    await Promise.all(workers);

    expect(rotation.code, rotation.err.join("\n")).toBe(0);
    expect(rotation.out).toEqual([`Rotated ${id}: version 1 → version 2, verified with model gpt-4.1-mini; deleted version 1.`]);
    expect(calls.filter((call) => call.error !== undefined).map((call) => String(call.error))).toEqual([]);
    expect(calls.every((call) => call.key === `Bearer ${oldKey}` || call.key === `Bearer ${newKey}`)).toBe(true);
    const before = calls.filter((call) => call.startedAt < rotationStarted);
    const after = calls.filter((call) => call.startedAt > rotationEnded);
    expect(before.length).toBeGreaterThanOrEqual(150);
    expect(after.length).toBeGreaterThanOrEqual(150);
    expect(new Set(before.map((call) => call.key))).toEqual(new Set([`Bearer ${oldKey}`]));
    expect(new Set(after.map((call) => call.key))).toEqual(new Set([`Bearer ${newKey}`]));
    // In the order the server saw them: the old key, then the new one, mixed only among calls
    // that were already running at the switch (at most the concurrency).
    const firstNew = arrivals.indexOf(`Bearer ${newKey}`);
    const lastOld = arrivals.lastIndexOf(`Bearer ${oldKey}`);
    expect(lastOld - firstNew).toBeLessThan(concurrency);
    // The old version is gone; the configuration names the new one.
    expect(await harness.localStore.list("load", id)).toEqual([{ agent: "load", providerId: id, version: 2 }]);
    expect(((await harness.agentFile("load")).providers as Array<{ credentialVersion: number }>)[0].credentialVersion).toBe(2);
  });

  it("keeps the old credential when the new one fails its test call", async () => {
    const id = await harness.add("openai", "--base-url", `${server.url}/v1`, "--api-key-env", "OLD_KEY");
    server.enqueue({ status: 401, headers: { "content-type": "application/json" }, body: JSON.stringify({ error: { message: "Incorrect API key provided", type: "invalid_request_error", code: "invalid_api_key" } }) });
    harness.standardInput = newKey;
    const outcome = await harness.prose("byom", "rotate", id, "--api-key-stdin");
    expect(outcome.code).toBe(2);
    expect(outcome.err[0]).toBe(
      `error: The new credential of provider "${id}" failed its test call to model "gpt-4.1-mini": the key was rejected (401): check the API key of provider "${id}". The provider said: "Incorrect API key provided". Nothing was changed; the current credential stays active.`,
    );
    expect(await harness.localStore.list("default", id)).toEqual([{ agent: "default", providerId: id, version: 1 }]);
    expect(await harness.localStore.get({ agent: "default", providerId: id, version: 1 })).toBe(oldKey);
  });

  it("needs the new secret, and a known provider", async () => {
    const id = await harness.add("openai", "--api-key-env", "OLD_KEY");
    expect((await harness.prose("byom", "rotate", id)).err[0]).toBe("error: `prose byom rotate` needs the new secret.");
    expect((await harness.prose("byom", "rotate", "openai-unknown", "--api-key-env", "NEW_KEY")).err[0]).toContain('has no model provider "openai-unknown"');
  });
});
