import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openAiCompletion } from "../support/openai-server.js";
import { type ScriptedServer, startScriptedServer } from "../support/scripted-server.js";
import { type SsmServer, startSsmServer } from "../support/ssm-server.js";
import { TestWorkspace } from "../support/workspace-cli.js";

// Finding 7 (order): `byom remove` took the provider out of the agent file before deleting its
// secret, so a refused or failed delete left the secret behind and a retry said "no model
// provider"; a rotation whose old-version delete failed reported only failure.

let space: TestWorkspace;
let server: ScriptedServer;
let ssm: SsmServer;
const aws = { AWS_ACCESS_KEY_ID: "AKIDWORKSPACETEST", AWS_SECRET_ACCESS_KEY: "workspace-test-secret", AWS_REGION: "us-east-1" };
const firstKey = "sk-retry-first-0123456789abcdefghijk";
const secondKey = "sk-retry-second-0123456789abcdefghij";

beforeEach(async () => {
  space = await TestWorkspace.create();
  server = await startScriptedServer();
  server.route("/v1/chat/completions", () => openAiCompletion("ok"));
  ssm = await startSsmServer({ region: "us-east-1" });
  const switched = await space.run(["byom", "store", "aws-ssm", "--prefix", "/prose", "--region", "us-east-1", "--endpoint", ssm.url], { env: aws });
  expect(switched.code, switched.stderr).toBe(0);
});
afterEach(async () => {
  await ssm.close();
  await server.close();
  await space.dispose();
});

async function addProvider(): Promise<string> {
  const added = await space.run(["byom", "add", "custom", "--name", "retry", "--base-url", `${server.url}/v1`, "--model", "m", "--api-key-stdin"], { stdin: firstKey, env: aws });
  expect(added.code, added.stderr).toBe(0);
  return added.stdout.trim();
}

describe("remove deletes the secret first, so a failure can be retried", () => {
  it("keeps the provider when SSM refuses the delete, and the same command succeeds later", async () => {
    const id = await addProvider();
    ssm.denyAccess(["DeleteParameter"]);
    const refused = await space.run(["byom", "remove", id], { env: aws });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/could not delete the secret of provider ".*" \(version 1\).*The provider was kept; run `prose byom remove .*` again/s);
    expect(refused.stderr).not.toMatch(/internal error|at .*\.js:\d+/);
    expect((await space.agent()).providers.map((provider) => provider.id)).toEqual([id]);
    expect(ssm.parameters.has(`/prose/default/${id}/1`)).toBe(true);

    ssm.denyAccess(undefined);
    const retried = await space.run(["byom", "remove", id], { env: aws });
    expect(retried.code, retried.stderr).toBe(0);
    expect((await space.agent()).providers).toEqual([]);
    expect([...ssm.parameters.keys()]).toEqual([]);
  }, 60_000);

  it("keeps the provider when SSM is down, and the retry succeeds once it is back", async () => {
    const id = await addProvider();
    ssm.setOutage("500");
    const failed = await space.run(["byom", "remove", id], { env: aws });
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(/The provider was kept/);
    expect((await space.agent()).providers.map((provider) => provider.id)).toEqual([id]);
    ssm.setOutage(undefined);
    const retried = await space.run(["byom", "remove", id, "--json"], { env: aws });
    expect(retried.code, retried.stderr).toBe(0);
    expect(JSON.parse(retried.stdout)).toMatchObject({ removed: id, deletedSecretVersions: 1 });
    expect([...ssm.parameters.keys()]).toEqual([]);
  }, 60_000);
});

describe("a rotation whose old version cannot be deleted", () => {
  it("reports the new version as active, names the version left, and `rotate --finish` deletes it", async () => {
    const id = await addProvider();
    ssm.denyAccess(["DeleteParameter"]);
    const rotated = await space.run(["byom", "rotate", id, "--api-key-stdin"], { stdin: secondKey, env: aws });
    expect(rotated.code).toBe(1);
    expect(rotated.stdout.trim()).toBe(`Rotated ${id}: version 1 → version 2, verified with model m.`);
    expect(rotated.stderr).toContain(`error: rotated ${id} to version 2; could not delete version 1 (`);
    expect(rotated.stderr).toContain(`); run \`prose byom rotate ${id} --finish\` to finish.`);
    expect((await space.agent()).providers[0].credentialVersion).toBe(2);
    expect(ssm.parameters.get(`/prose/default/${id}/2`)?.value).toBe(secondKey);
    expect(ssm.parameters.has(`/prose/default/${id}/1`)).toBe(true);

    const again = await space.run(["byom", "rotate", id, "--finish", "--json"], { env: aws });
    expect(again.code).toBe(1);
    expect(JSON.parse(again.stdout)).toMatchObject({ id, version: 2, deletedVersions: [], leftoverVersions: [1], error: { fix: `prose byom rotate ${id} --finish` } });

    ssm.denyAccess(undefined);
    const finished = await space.run(["byom", "rotate", id, "--finish"], { env: aws });
    expect(finished.code, finished.stderr).toBe(0);
    expect(finished.stdout.trim()).toBe(`Finished the rotation of ${id}: version 2 is active; deleted version 1.`);
    expect([...ssm.parameters.keys()]).toEqual([`/prose/default/${id}/2`]);
  }, 60_000);

  it("gives the partial success in --json", async () => {
    const id = await addProvider();
    ssm.denyAccess(["DeleteParameter"]);
    const rotated = await space.run(["byom", "rotate", id, "--api-key-stdin", "--json"], { stdin: secondKey, env: aws });
    expect(rotated.code).toBe(1);
    const result = JSON.parse(rotated.stdout) as Record<string, unknown>;
    expect(result).toMatchObject({ id, agent: "default", previousVersion: 1, version: 2, verifiedModel: "m", deletedVersions: [], leftoverVersions: [1], error: { fix: `prose byom rotate ${id} --finish` } });
    expect((result.error as { message: string }).message).toMatch(/^rotated .* to version 2; could not delete version 1 \(.*AccessDenied.*\); run `prose byom rotate .* --finish` to finish$/s);
    expect(rotated.stdout).not.toContain(secondKey);
  }, 60_000);
});
