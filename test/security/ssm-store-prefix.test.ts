import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ByomHarness } from "../support/byom-harness.js";
import { type SsmServer, startSsmServer } from "../support/ssm-server.js";

/** Finding 7: `prose byom store aws-ssm` without --prefix was refused, although the docs say the prefix defaults to /prose. */
let harness: ByomHarness;
beforeEach(async () => {
  harness = await ByomHarness.create();
});
afterEach(async () => {
  await harness.dispose();
});

async function workspaceSettings(): Promise<unknown> {
  return JSON.parse(await readFile(join(harness.workspace, "workspace.json"), "utf8"));
}

describe("prose byom store aws-ssm without --prefix", () => {
  it("uses the prefix /prose", async () => {
    const outcome = await harness.prose("byom", "store", "aws-ssm", "--region", "eu-west-1");
    expect(outcome).toEqual({ code: 0, out: ["Secrets are now kept in the aws-ssm (prefix /prose, region eu-west-1) store."], err: [] });
    expect(await workspaceSettings()).toEqual({ version: 1, store: { kind: "aws-ssm", prefix: "/prose", region: "eu-west-1" } });
  });

  it("takes the region from AWS_REGION when --region is not given, and names both ways when neither is", async () => {
    const refused = await harness.prose("byom", "store", "aws-ssm");
    expect(refused.code).toBe(2);
    expect(refused.err).toEqual(["error: The aws-ssm store needs a region: give --region, or set AWS_REGION.", "  For example `prose byom store aws-ssm --region eu-west-1` (the prefix defaults to /prose)."]);
    harness.environment = { AWS_REGION: "ap-southeast-2" };
    expect((await harness.prose("byom", "store", "aws-ssm")).code).toBe(0);
    expect(await workspaceSettings()).toEqual({ version: 1, store: { kind: "aws-ssm", prefix: "/prose", region: "ap-southeast-2" } });
  });

  it("with the real store: a provider's secret lands under /prose/<agent>/<provider id>/<version>", async () => {
    const ssm: SsmServer = await startSsmServer({ region: "eu-west-1" });
    try {
      harness.realStores = true;
      harness.environment = { KEY: "sk-prefix-0123456789abcdefghijklmnop", AWS_ACCESS_KEY_ID: "AKIDPREFIXTEST", AWS_SECRET_ACCESS_KEY: "prefix-test-secret" };
      const switched = await harness.prose("byom", "store", "aws-ssm", "--region", "eu-west-1", "--endpoint", ssm.url);
      expect(switched.code, switched.err.join("\n")).toBe(0);
      const id = await harness.add("openai", "--base-url", "http://127.0.0.1:9/v1", "--api-key-env", "KEY");
      expect([...ssm.parameters.keys()]).toEqual([`/prose/default/${id}/1`]);
    } finally {
      await ssm.close();
    }
  });
});
