import { spawn } from "node:child_process";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { withoutAwsNodeVersionWarning } from "../../src/llm/aws-node-version-warning.js";
import { ByomHarness } from "../support/byom-harness.js";
import { bedrockText, startBedrockServer } from "../support/bedrock-server.js";
import { type SsmServer, startSsmServer } from "../support/ssm-server.js";
import { buildIfStale } from "../support/built-cli.js";

/**
 * Finding 7 and "Runtimes": on Node < 22 every SSM (and Bedrock) command printed the AWS SDK's
 * nine-line NodeVersionSupportWarning. The real command line, on this machine's Node, prints
 * none of it; the switch that silences it never reaches the user's environment. (On Node 22 and
 * later the SDK prints nothing anyway: these tests then only check that nothing else is printed.)
 */
const root = fileURLToPath(new URL("../..", import.meta.url));
const sdkWarning = /NodeVersionSupportWarning|NodeDeprecationWarning|upgrade to node|a\.co\/c895JFp|--trace-warnings/;
const apiKey = "sk-node-warning-0123456789abcdefghijk";


let harness: ByomHarness;
let ssm: SsmServer;
let providerId: string;
beforeAll(async () => {
  buildIfStale();
  harness = await ByomHarness.create();
  ssm = await startSsmServer({ region: "us-east-1" });
  harness.realStores = true;
  harness.environment = { KEY: apiKey, AWS_ACCESS_KEY_ID: "AKIDWARNINGTEST", AWS_SECRET_ACCESS_KEY: "warning-test-secret" };
  const switched = await harness.prose("byom", "store", "aws-ssm", "--prefix", "/prose", "--region", "us-east-1", "--endpoint", ssm.url);
  if (switched.code !== 0) throw new Error(switched.err.join("\n"));
  providerId = await harness.add("openai", "--base-url", "http://127.0.0.1:9/v1", "--api-key-env", "KEY");
}, 180_000);
afterAll(async () => {
  ssm?.setOutage(undefined);
  await ssm?.close();
  await harness?.dispose();
});

/** `prose …` as a child process of this Node, on the SSM workspace, with only the environment given. */
function prose(args: string[], environment: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return proseIn(harness, args, environment);
}

function proseIn(workspace: ByomHarness, args: string[], environment: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(root, "bin", "prose.js"), ...args, "--workspace", workspace.workspace], {
      cwd: workspace.folder,
      env: {
        PATH: process.env.PATH ?? "",
        HOME: workspace.folder,
        AWS_ACCESS_KEY_ID: "AKIDWARNINGTEST",
        AWS_SECRET_ACCESS_KEY: "warning-test-secret",
        // Never the instance metadata service: no network beyond loopback.
        AWS_EC2_METADATA_DISABLED: "true",
        NO_COLOR: "1",
        ...environment,
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString("utf8")));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

describe(`the AWS SDK's Node-version warning (Node ${process.versions.node})`, () => {
  it("`prose byom list` reads the secret from SSM and prints none of it", async () => {
    const listed = await prose(["byom", "list"]);
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.stdout).toContain(providerId);
    expect(listed.stdout).toContain(apiKey.slice(-4));
    expect(listed.stderr).not.toMatch(sdkWarning);
    expect(listed.stdout).not.toMatch(sdkWarning);
    expect(ssm.requestsFor("GetParameter").length).toBeGreaterThan(0);
  });

  it("`prose run --timeout 1` against an SSM endpoint that never answers: exit 124, the stop said, none of it", async () => {
    const script = join(harness.folder, "environment.prose");
    await writeFile(script, 'ask the model "Say hello"\n');
    ssm.setOutage("hang");
    try {
      const run = await prose(["run", script, "--timeout", "1"]);
      expect(run.code).toBe(124);
      expect(run.stderr).toContain("stopped: the run went past its --timeout of 1 s; the model calls in flight were cancelled.");
      expect(run.stderr).not.toMatch(sdkWarning);
    } finally {
      ssm.setOutage(undefined);
    }
  });
});

describe("the same warning from Bedrock", () => {
  it("a run that calls a Bedrock model (no SSM in sight) prints none of it", async () => {
    const bedrock = await startBedrockServer();
    const local = await ByomHarness.create();
    const masterKey = Buffer.alloc(32, 7).toString("base64");
    try {
      local.realStores = true;
      local.environment = { PROSE_MASTER_KEY: masterKey };
      const awsFile = join(local.folder, "aws.json");
      await writeFile(awsFile, JSON.stringify({ accessKeyId: "AKIDBEDROCKWARNING", secretAccessKey: "bedrock-warning-secret" }));
      const id = await local.add("bedrock", "--region", "us-east-1", "--endpoint", bedrock.url, "--model", "amazon.nova-lite-v1:0", "--credentials-file", awsFile);
      const script = join(local.folder, "hello.prose");
      await writeFile(script, `ask the model "Say hello"\n    the model provider is "${id}"\nsay the answer\n`);
      bedrock.enqueue(bedrockText("Hello from Bedrock"));
      const run = await proseIn(local, ["run", script], { PROSE_MASTER_KEY: masterKey });
      expect(run.code, run.stderr).toBe(0);
      expect(run.stdout).toBe("Hello from Bedrock\n");
      expect(run.stderr).not.toMatch(sdkWarning);
      expect(bedrock.requests).toHaveLength(1);
    } finally {
      await bedrock.close();
      await local.dispose();
    }
  });
});

describe("the SDK's switch", () => {
  const name = "AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED";

  it("is set only while a client is made: the environment (and any child process) never keeps it", () => {
    vi.stubEnv(name, undefined);
    try {
      expect(withoutAwsNodeVersionWarning(() => process.env[name])).toBe("true");
      expect(Object.prototype.hasOwnProperty.call(process.env, name)).toBe(false);
      expect(() => withoutAwsNodeVersionWarning(() => {
        throw new Error("the client could not be made");
      })).toThrow("the client could not be made");
      expect(Object.prototype.hasOwnProperty.call(process.env, name)).toBe(false);
    } finally {
      vi.unstubAllEnvs();
    }
  });

  it("a value the user set is given back as it was", () => {
    vi.stubEnv(name, "false");
    try {
      withoutAwsNodeVersionWarning(() => undefined);
      expect(process.env[name]).toBe("false");
    } finally {
      vi.unstubAllEnvs();
    }
  });
});
