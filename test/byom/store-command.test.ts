import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openAiCompletion } from "../support/openai-server.js";
import { type ScriptedServer, startScriptedServer } from "../support/scripted-server.js";
import { type SsmServer, startSsmServer } from "../support/ssm-server.js";
import { ByomHarness } from "../support/byom-harness.js";

const firstKey = "sk-store-first-0123456789abcdefghijk";
const secondKey = "sk-store-second-0123456789abcdefghij";

let harness: ByomHarness;
beforeEach(async () => {
  harness = await ByomHarness.create();
  harness.environment = { FIRST: firstKey, SECOND: secondKey };
});
afterEach(async () => {
  await harness.dispose();
});

describe("prose byom store", () => {
  it("shows the store, and moves every agent's secrets when it changes", async () => {
    expect((await harness.prose("byom", "store")).out).toEqual(["Secrets are kept in the local (encrypted file in the workspace) store."]);
    const first = await harness.add("openai", "--api-key-env", "FIRST");
    const second = await harness.add("anthropic", "--agent", "support", "--api-key-env", "SECOND");
    const switched = await harness.prose("byom", "store", "aws-ssm", "--prefix", "/prose/", "--region", "eu-west-1", "--kms-key-id", "alias/prose");
    expect(switched).toEqual({
      code: 0,
      out: ["Secrets are now kept in the aws-ssm (prefix /prose, region eu-west-1) store. Moved 2 secrets from the local (encrypted file in the workspace) store."],
      err: [],
    });
    expect(JSON.parse(await readFile(join(harness.workspace, "workspace.json"), "utf8"))).toEqual({ version: 1, store: { kind: "aws-ssm", prefix: "/prose", region: "eu-west-1", kmsKeyId: "alias/prose" } });
    const ssm = harness.storeFor({ kind: "aws-ssm", prefix: "/prose", region: "eu-west-1", kmsKeyId: "alias/prose" });
    expect(await ssm.get({ agent: "default", providerId: first, version: 1 })).toBe(firstKey);
    expect(await ssm.get({ agent: "support", providerId: second, version: 1 })).toBe(secondKey);
    expect(harness.localStore.values.size).toBe(0);
    expect((await harness.prose("byom", "list")).out[1]).toContain("…hijk");

    const back = await harness.prose("byom", "store", "local", "--json");
    expect(JSON.parse(back.out[0])).toMatchObject({ store: { kind: "local" }, moved: 2 });
    expect(harness.localStore.values.size).toBe(2);
  });

  it("checks the store options", async () => {
    const err = async (...argv: string[]) => (await harness.prose("byom", "store", ...argv)).err;
    expect(await err("aws-ssm", "--prefix", "/prose")).toEqual([
      "error: The aws-ssm store needs a region: give --region, or set AWS_REGION.",
      "  For example `prose byom store aws-ssm --region eu-west-1` (the prefix defaults to /prose).",
    ]);
    expect(await err("aws-ssm", "--prefix", "prose", "--region", "eu-west-1")).toEqual(['error: The SSM prefix must start with "/", like /prose.', "  Write --prefix /prose."]);
    expect((await err("aws-ssm", "--prefix", "/prose", "--region", "eu-west-1", "--endpoint", "localhost:4566"))[0]).toBe(
      "error: These store settings are not valid: endpoint: Invalid URL.",
    );
    expect((await err("local", "--region", "eu-west-1"))[0]).toBe("error: The local store takes no --prefix, --region, --endpoint or --kms-key-id.");
    expect(await err("vault")).toEqual(['error: "vault" is not a secret store.', "  Use `prose byom store local` or `prose byom store aws-ssm --prefix /prose --region REGION`."]);
  });
});

describe("with the real stores", () => {
  let ssm: SsmServer;
  let server: ScriptedServer;
  beforeEach(async () => {
    ssm = await startSsmServer({ region: "us-east-1" });
    server = await startScriptedServer();
  });
  afterEach(async () => {
    await ssm.close();
    await server.close();
  });

  it("moves a secret from the local encrypted file to SSM, and a script then calls with it", async () => {
    harness.realStores = true;
    harness.environment = { FIRST: firstKey, PROSE_MASTER_KEY: Buffer.alloc(32, 3).toString("base64"), AWS_ACCESS_KEY_ID: "AKIDSTORETEST", AWS_SECRET_ACCESS_KEY: "store-test-secret" };
    const id = await harness.add("openai", "--base-url", `${server.url}/v1`, "--api-key-env", "FIRST");
    const switched = await harness.prose("byom", "store", "aws-ssm", "--prefix", "/prose", "--region", "us-east-1", "--endpoint", ssm.url);
    expect(switched.code, switched.err.join("\n")).toBe(0);
    const parameter = ssm.parameters.get(`/prose/default/${id}/1`);
    expect(parameter).toMatchObject({ type: "SecureString", value: firstKey });
    const script = join(harness.folder, "hello.prose");
    await writeFile(script, 'ask the model "Say hello"\nsay the answer\n');
    server.enqueue(openAiCompletion("Hello from SSM"));
    expect(await harness.prose("run", script)).toEqual({ code: 0, out: ["Hello from SSM"], err: [] });
    expect(server.requests[0].headers.authorization).toBe(`Bearer ${firstKey}`);
  });

  it("moves named secrets (prose secret add) too, and lists them from the new store", async () => {
    harness.realStores = true;
    const token = "crm-ssm-token-0123456789abcdef";
    harness.environment = { TOKEN: token, PROSE_MASTER_KEY: Buffer.alloc(32, 3).toString("base64"), AWS_ACCESS_KEY_ID: "AKIDSTORETEST", AWS_SECRET_ACCESS_KEY: "store-test-secret" };
    expect((await harness.prose("secret", "add", "crm token", "--env", "TOKEN")).code).toBe(0);
    const switched = await harness.prose("byom", "store", "aws-ssm", "--prefix", "/prose", "--region", "us-east-1", "--endpoint", ssm.url);
    expect(switched.code, switched.err.join("\n")).toBe(0);
    expect(switched.out[0]).toContain("Moved 1 secret");
    const hex = Buffer.from("crm token").toString("hex");
    expect(ssm.parameters.get(`/prose/default/secret.${hex}/1`)).toMatchObject({ type: "SecureString", value: token });
    expect(await harness.prose("secret", "list")).toEqual({ code: 0, out: ["crm token"], err: [] });
  });
});
