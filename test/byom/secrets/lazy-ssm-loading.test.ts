import { describe, expect, it, vi } from "vitest";
import { keyOf, temporaryFolder } from "../../support/secret-store-suite.js";

const loaded = vi.hoisted(() => [] as string[]);
vi.mock("@aws-sdk/client-ssm", () => {
  loaded.push("@aws-sdk/client-ssm");
  return {
    SSMClient: class {
      constructor() {
        throw new Error("this SDK is replaced in this test");
      }
    },
  };
});

describe("loading @aws-sdk/client-ssm lazily", () => {
  it("loads the SDK only when an SSM store makes its first call", async () => {
    const { openSecretStore } = await import("../../../src/byom/secrets/index.js");
    const { folder, remove } = await temporaryFolder();
    try {
      const local = openSecretStore({ kind: "local", workspace: folder }, { PROSE_MASTER_KEY: keyOf(1) });
      await local.put({ agent: "default", providerId: "openai", version: 1 }, "value");
      const ssm = openSecretStore({ kind: "aws-ssm", region: "us-east-1", endpoint: "http://127.0.0.1:9" }, {});
      expect(loaded).toEqual([]);
      await expect(ssm.get({ agent: "default", providerId: "openai", version: 1 })).rejects.toMatchObject({ name: "SecretStoreError" });
      expect(loaded).toEqual(["@aws-sdk/client-ssm"]);
    } finally {
      await remove();
    }
  });
});
