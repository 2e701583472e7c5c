import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ByomHarness, type Outcome } from "../support/byom-harness.js";

const key = "sk-test-validation-0123456789abcdefABCD";

let harness: ByomHarness;
beforeEach(async () => {
  harness = await ByomHarness.create();
  harness.environment = { KEY: key };
});
afterEach(async () => {
  await harness.dispose();
});

/** The command must fail with exit 2, print nothing on stdout, and save nothing. */
async function refused(...argv: string[]): Promise<string[]> {
  const outcome: Outcome = await harness.prose("byom", "add", ...argv);
  expect(outcome.code).toBe(2);
  expect(outcome.out).toEqual([]);
  expect(harness.localStore.values.size).toBe(0);
  return outcome.err;
}

describe("prose byom add checks what it is given", () => {
  it("refuses an Azure deployment's Target URI and names the base URL to use", async () => {
    const target = "https://contoso.openai.azure.com/openai/deployments/gpt-4o-mini/chat/completions?api-version=2024-10-21";
    expect(await refused("azure-openai", "--endpoint", target, "--model", "gpt-4o-mini", "--api-key-env", "KEY")).toEqual([
      'error: --endpoint must be the resource\'s base URL, not a deployment\'s Target URI (it names the deployment "gpt-4o-mini").',
      "  Use --endpoint https://contoso.openai.azure.com/ and name the deployment with --model.",
    ]);
  });

  it("refuses an Azure deployment named differently from its model", async () => {
    expect(await refused("azure-openai", "--endpoint", "https://contoso.openai.azure.com/", "--model", "gpt-4o-mini", "--deployment", "prod-chat", "--api-key-env", "KEY")).toEqual([
      'error: The Azure deployment "prod-chat" is not named like its model "gpt-4o-mini": Prose calls a deployment by the model id.',
      '  Name the deployment "gpt-4o-mini" in Azure AI Foundry, or give --model prod-chat when it serves that model.',
    ]);
  });

  it("needs the Azure endpoint and the deployment's model", async () => {
    expect((await refused("azure-openai", "--model", "gpt-4o", "--api-key-env", "KEY"))[0]).toBe("error: An azure-openai provider needs --endpoint, the resource's base URL.");
    expect((await refused("azure-openai", "--endpoint", "https://contoso.openai.azure.com/", "--api-key-env", "KEY"))[0]).toBe(
      "error: An azure-openai provider needs --model: the deployment name, which must equal the model id.",
    );
  });

  it("refuses Vertex JSON without client_email or private_key", async () => {
    const noEmail = join(harness.folder, "no-email.json");
    const noKey = join(harness.folder, "no-key.json");
    await writeFile(noEmail, JSON.stringify({ type: "service_account", project_id: "p", private_key: "-----BEGIN PRIVATE KEY-----\nabc\n-----END PRIVATE KEY-----\n" }));
    await writeFile(noKey, JSON.stringify({ type: "service_account", project_id: "p", client_email: "bot@p.iam.gserviceaccount.com" }));
    const fix = "  Create a key for the service account (Google Cloud console → IAM → Service accounts → Keys → Add key → JSON) and give that file with --credentials-file; the account needs the role roles/aiplatform.user.";
    expect(await refused("vertex", "--credentials-file", noEmail)).toEqual([`error: The Vertex AI service-account JSON from the file ${noEmail} has no "client_email".`, fix]);
    expect(await refused("vertex", "--credentials-file", noKey)).toEqual([`error: The Vertex AI service-account JSON from the file ${noKey} has no "private_key".`, fix]);
    harness.standardInput = "not json";
    expect((await refused("vertex", "--api-key-stdin", "--project-id", "p"))[0]).toBe("error: The Vertex AI credentials from standard input are not a service-account JSON key.");
  });

  it("takes the Vertex project from the JSON unless --project-id names one", async () => {
    const file = join(harness.folder, "sa.json");
    await writeFile(file, JSON.stringify({ type: "service_account", project_id: "from-json", client_email: "bot@p.iam.gserviceaccount.com", private_key: "-----BEGIN PRIVATE KEY-----\nabc\n-----END PRIVATE KEY-----\n" }));
    const id = await harness.add("vertex", "--credentials-file", file);
    expect((await harness.agentFile()).providers).toMatchObject([{ id, settings: { projectId: "from-json", location: "us-central1" } }]);
    const list = await harness.prose("byom", "list");
    expect(list.out[1]).toContain("bot@p.iam.gserviceaccount.com");
  });

  it("refuses a custom base URL that is not http(s), and a custom provider without one", async () => {
    expect(await refused("custom", "--name", "vllm", "--base-url", "ftp://models.local/v1", "--model", "llama")).toEqual([
      'error: --base-url must be an http:// or https:// URL, and "ftp://models.local/v1" is not one.',
      "  Write the full URL, for example --base-url http://localhost:8000/v1.",
    ]);
    expect((await refused("custom", "--name", "vllm", "--base-url", "localhost:8000", "--model", "llama"))[0]).toBe('error: --base-url must be an http:// or https:// URL, and "localhost:8000" is not one.');
    expect((await refused("custom", "--name", "vllm", "--model", "llama"))[0]).toBe("error: A custom provider needs --base-url, the URL of its OpenAI-compatible API.");
    expect((await refused("custom", "--name", "vllm", "--base-url", "http://localhost:8000/v1"))[0]).toBe("error: A custom provider needs --model: the model name the server serves (see its /v1/models).");
  });

  it("warns about a model it does not know, listing the known ones, and keeps it", async () => {
    const outcome = await harness.prose("byom", "add", "anthropic", "--model", "claude-nonexistent-9", "--api-key-env", "KEY");
    expect(outcome.code).toBe(0);
    expect(outcome.err[0]).toBe(
      'warning: "claude-nonexistent-9" is not an anthropic model Prose knows (known: claude-opus-4-1, claude-opus-4-0, claude-sonnet-4-5, claude-sonnet-4-0, claude-haiku-4-5, claude-3-7-sonnet-latest, claude-3-5-haiku-latest); it is kept: check the name if `prose byom verify` fails.',
    );
    const json = await harness.prose("byom", "add", "bedrock", "--region", "us-east-1", "--model", "us.amazon.nova-lite-v1:0", "--json");
    expect(JSON.parse(json.out[0])).toMatchObject({ warnings: [] });
  });

  it("needs a secret for the types that cannot work without one, and says how to give it", async () => {
    expect(await refused("openai")).toEqual([
      "error: An openai provider needs an API key.",
      "  Give it with --api-key-stdin, --api-key-env VAR or --credentials-file F (never as an argument: it would show in `ps` and in the shell history).",
    ]);
    expect((await refused("openai", "--api-key-env", "UNSET_VARIABLE"))[0]).toBe("error: No secret was found in the variable UNSET_VARIABLE: it is not set or empty.");
    expect((await refused("openai", "--credentials-file", "missing.txt"))[0]).toBe("error: I can't read the credentials file missing.txt (it does not exist).");
    harness.standardInput = "  \n";
    expect((await refused("openai", "--api-key-stdin"))[0]).toBe("error: No secret was found in standard input: it is empty.");
    expect((await refused("openai", "--api-key-stdin", "--api-key-env", "KEY"))[0]).toBe("error: Give the secret one way only.");
  });

  it("refuses options the type does not use, unknown types, bad limits and a --reasoning level that does not exist", async () => {
    expect(await refused("openai", "--region", "us-east-1", "--api-key-env", "KEY")).toEqual(["error: An openai provider does not use --region.", "  Leave it out; openai takes --base-url, --organization."]);
    expect(await refused("mistral", "--api-key-env", "KEY")).toEqual(['error: "mistral" is not a provider type.', "  Use one of: openai, azure-openai, anthropic, gemini, vertex, bedrock, custom."]);
    expect((await refused("openai", "--rpm", "-5", "--api-key-env", "KEY"))[0]).toBe('error: --rpm must be a whole number above 0, not "-5".');
    expect((await refused("openai", "--concurrency", "1.5", "--api-key-env", "KEY"))[0]).toBe('error: --concurrency must be a whole number above 0, not "1.5".');
    // BYOM v1: --reasoning is real, and off or low.
    expect(await refused("openai", "--reasoning", "high", "--api-key-env", "KEY")).toEqual(['error: --reasoning must be off or low, not "high".', "  For example --reasoning off (the least reasoning the model allows)."]);
    expect((await refused("bedrock", "--model", "amazon.nova-lite-v1:0"))[0]).toBe("error: A bedrock provider needs --region, the AWS region of its models.");
    expect((await refused("openai", "--model", "gpt-4o", "--fallback-model", "gpt-4o", "--api-key-env", "KEY"))[0]).toBe('error: "gpt-4o" is already the primary model; a fallback model must be another one.');
  });

  it("refuses Bedrock credentials JSON without its keys", async () => {
    const file = join(harness.folder, "aws.json");
    await writeFile(file, JSON.stringify({ accessKeyId: "AKIAIOSFODNN7EXAMPLE" }));
    expect((await refused("bedrock", "--region", "us-east-1", "--model", "amazon.nova-lite-v1:0", "--credentials-file", file))[0]).toBe(
      `error: The Bedrock credentials JSON from the file ${file} has no "secretAccessKey".`,
    );
  });
});

describe("a secret on the command line is refused, with the reason, and never repeated", () => {
  const reason = "On the command line it would show in `ps` and stay in the shell history, so Prose refuses it and saved nothing.";
  const fix =
    "  Give secrets with --api-key-stdin (for example `printenv MY_KEY | prose byom add openai --api-key-stdin`), --api-key-env VAR or --credentials-file F. If it was a real key, revoke it at the provider: your shell history holds it now.";

  it("refuses --api-key and its relatives", async () => {
    for (const option of ["--api-key", "--key", "--token", "--secret", "--password"]) {
      const err = await refused("openai", option, key);
      expect(err).toEqual([`error: ${option} would put the secret on the command line, where \`ps\` shows it to other users and the shell history keeps it; Prose refuses it and saved nothing.`, fix]);
    }
    expect((await refused("openai", `--api-key=${key}`))[0]).toContain("error: --api-key would put the secret on the command line");
  });

  it("refuses a key pasted into another option or given as an argument", async () => {
    expect(await refused("openai", "--name", key, "--api-key-env", "KEY")).toEqual([`error: The value of --name looks like an API key or another secret. ${reason}`, fix]);
    expect((await refused("custom", "--name", "x", "--base-url", "http://127.0.0.1:8000/v1?api-key=abc", "--model", "m"))[0]).toBe(`error: The value of --base-url looks like an API key or another secret. ${reason}`);
    expect((await refused("custom", "--name", "x", "--base-url", "http://user:pa55word@127.0.0.1:8000/v1", "--model", "m"))[0]).toBe(`error: The value of --base-url looks like an API key or another secret. ${reason}`);
    expect((await refused("openai", key))[0]).toBe(`error: An argument looks like an API key or another secret. ${reason}`);
    expect((await refused("openai", "--api-key-env", key))[0]).toBe(`error: The value of --api-key-env looks like an API key or another secret. ${reason}`);
    expect((await refused("azure-openai", "--endpoint", "https://contoso.openai.azure.com/", "--model", "gpt-4o", "--name", "0123456789abcdef0123456789abcdef", "--api-key-env", "KEY"))[0]).toContain("The value of --name looks like");
    for (const line of harness.printed) expect(line).not.toContain(key);
  });

  it("refuses a key given to rotate the same way", async () => {
    const id = await harness.add("openai", "--api-key-env", "KEY");
    const outcome = await harness.prose("byom", "rotate", id, "--api-key", key);
    expect(outcome.code).toBe(2);
    expect(outcome.err[0]).toContain("error: --api-key would put the secret on the command line");
    for (const line of harness.printed) expect(line).not.toContain(key);
  });

  it("hides a key in the parser's own messages (an unknown option)", async () => {
    const outcome = await harness.prose("byom", "add", "openai", `--apikey=${key}`);
    expect(outcome.code).toBe(2);
    expect(outcome.err.join("\n")).toContain("[hidden]");
    for (const line of harness.printed) expect(line).not.toContain(key);
  });
});

describe("broken configuration files", () => {
  it("names the file and what is wrong in it", async () => {
    await mkdir(join(harness.workspace, "agents"), { recursive: true });
    const file = join(harness.workspace, "agents", "default.json");
    await writeFile(file, "{ not json");
    const notJson = await harness.prose("byom", "list");
    expect(notJson.code).toBe(2);
    expect(notJson.err[0]).toMatch(new RegExp(`^error: The BYOM configuration file ${file.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")} is not valid JSON: .+\\.$`));
    expect(notJson.err[1]).toBe("  Correct the file by hand (it holds no secrets), or move it away and add the providers again with `prose byom add`.");

    await writeFile(file, JSON.stringify({ version: 1, agent: "default", defaultProvider: "gone", fallbackChain: [], providers: [] }));
    expect((await harness.prose("byom", "list")).err[0]).toBe(`error: The BYOM configuration file ${file} is broken: defaultProvider: no provider has the id "gone".`);

    await writeFile(file, JSON.stringify({ version: 1, agent: "default", defaultProvider: null, fallbackChain: [], providers: [{ id: "x", type: "opena" }] }));
    expect((await harness.prose("byom", "list")).err[0]).toMatch(new RegExp(`^error: The BYOM configuration file .*default\\.json is broken: providers\\[0\\]\\.type: `));

    await writeFile(file, JSON.stringify({ version: 1, agent: "support", defaultProvider: null, fallbackChain: [], providers: [] }));
    expect(await harness.prose("byom", "list")).toMatchObject({
      code: 2,
      err: [`error: The BYOM configuration file ${file} is broken: it names the agent "support", but its file name says "default".`, '  Set "agent" to "default" in it, or rename the file to support.json.'],
    });

    await writeFile(join(harness.workspace, "workspace.json"), JSON.stringify({ version: 1, store: { kind: "aws-ssm", prefix: "prose", region: "eu-west-1" } }));
    expect((await harness.prose("byom", "store")).err[0]).toBe(
      `error: The BYOM configuration file ${join(harness.workspace, "workspace.json")} is broken: store.prefix: a parameter prefix starts with / and holds letters, digits, _ . - and /.`,
    );
  });
});
