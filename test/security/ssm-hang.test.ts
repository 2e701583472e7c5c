import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ByomHarness } from "../support/byom-harness.js";
import { type ScriptedServer, startScriptedServer } from "../support/scripted-server.js";
import { type SsmServer, startSsmServer } from "../support/ssm-server.js";

/**
 * Finding 7: `prose run --timeout` against an SSM endpoint that never answers ended only when the
 * SDK gave up (three attempts of 10 s each); the credential read now takes the run's signal. (That
 * the real command line then exits at once, its SSM request cancelled, is in ssm-node-warning.test.ts.)
 */
const apiKey = "sk-ssm-hang-0123456789abcdefghijklmn";

let harness: ByomHarness;
let ssm: SsmServer;
let provider: ScriptedServer;
beforeEach(async () => {
  harness = await ByomHarness.create();
  ssm = await startSsmServer({ region: "us-east-1" });
  provider = await startScriptedServer();
  harness.realStores = true;
  harness.environment = { KEY: apiKey, AWS_ACCESS_KEY_ID: "AKIDHANGTEST", AWS_SECRET_ACCESS_KEY: "hang-test-secret", AWS_REGION: "us-east-1" };
  const switched = await harness.prose("byom", "store", "aws-ssm", "--prefix", "/prose", "--region", "us-east-1", "--endpoint", ssm.url);
  expect(switched.code, switched.err.join("\n")).toBe(0);
  await harness.add("openai", "--base-url", `${provider.url}/v1`, "--api-key-env", "KEY");
});
afterEach(async () => {
  ssm.setOutage(undefined);
  await ssm.close();
  await provider.close();
  await harness.dispose();
});

describe("an SSM endpoint that never answers", () => {
  it("prose run --timeout stops the credential read: exit 124, the stop said in English, the model never called", async () => {
    const script = join(harness.folder, "hello.prose");
    await writeFile(script, 'ask the model "Say hello"\nsay the answer\n');
    ssm.setOutage("hang");
    const before = ssm.requestsFor("GetParameter").length;
    const outcome = await harness.prose("run", script, "--timeout", "1");
    expect(outcome.code).toBe(124);
    expect(outcome.out).toEqual([]);
    expect(outcome.err[0]).toBe(`stopped: the run went past its --timeout of 1 s; the model calls in flight were cancelled. It stopped at ${script}:1:1.`);
    expect(ssm.requestsFor("GetParameter").length - before).toBeLessThanOrEqual(1);
    expect(provider.requests).toHaveLength(0);
  });
});

describe("an SSM endpoint that never answers, without --timeout", () => {
  it("the call's attempt deadline (the provider's --timeout) bounds the credential read, and the run says so", async () => {
    const bounded = await harness.prose("byom", "add", "anthropic", "--base-url", `${provider.url}`, "--api-key-env", "KEY", "--timeout", "1");
    expect(bounded.code, bounded.err.join("\n")).toBe(0);
    const id = bounded.out[0];
    const script = join(harness.folder, "hello.prose");
    await writeFile(script, `ask the model "Say hello"\n    the model provider is "${id}"\nsay the answer\n`);
    ssm.setOutage("hang");
    const outcome = await harness.prose("run", script);
    expect(outcome.code).toBe(1);
    expect(outcome.err[0]).toMatch(
      new RegExp(
        `^${escape(script)}:1:1: error: The credential of provider "${id}" \\(agent "default"\\) could not be read: AWS SSM \\(region us-east-1, endpoint ${escape(ssm.url)}\\) had not answered when the read of provider "${id}" version 1 of agent "default" was stopped \\(No complete answer within 1000 ms\\)\\. Check that it is reachable from here, then try again\\.`,
      ),
    );
    expect(provider.requests).toHaveLength(0);
  });

  it("a byom command ends within the store's operation time, with an English message", async () => {
    const { openSecretStore } = await import("../../src/byom/secrets/open-secret-store.js");
    // The CLI's opener, with a short operation time instead of the default 12 s.
    harness.services = { openSecretStore: (settings, environment) => openSecretStore(settings, environment, { operationTimeoutMilliseconds: 400 }) };
    ssm.setOutage("hang");
    const outcome = await harness.prose("byom", "add", "anthropic", "--api-key-env", "KEY");
    expect(outcome.code).toBe(1);
    expect(outcome.err[0]).toMatch(
      new RegExp(
        `^error: AWS SSM \\(region us-east-1, endpoint ${escape(ssm.url)}\\) did not answer within 400 ms to store provider "anthropic-[^"]+" version 1 of agent "default" \\(parameter /prose/default/anthropic-[^/]+/1\\)\\. Check that the endpoint is reachable from here \\(the workspace's store endpoint, set with \`prose byom store aws-ssm --endpoint\`\\), then try again\\.$`,
      ),
    );
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
}
