import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { describeSightings, echoedForms, findCanary } from "../support/canary-forms.js";
import { buildIfStale } from "../support/built-cli.js";
import { TestWorkspace } from "../support/workspace-cli.js";

/** What the local server received. */
interface Received {
  method: string;
  url: string;
  headers: IncomingMessage["headers"];
  body: string;
}

const canary = "crm-Cnry-7f3a9b2c4d5e6f708192a3b4c5d6e7f8";

let server: Server;
let port: number;
let received: Received[] = [];

function parsed(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    return body === "" ? null : body;
  }
}

function answer(request: IncomingMessage, response: ServerResponse, body: string): void {
  const path = request.url ?? "/";
  if (path === "/json") {
    response.writeHead(200, { "content-type": "application/json", "x-request-id": "r-1" });
    response.end(JSON.stringify({ name: "Ada", orders: [{ total: 12.5 }, { total: 7 }], echo: parsed(body) }));
  } else if (path === "/text") {
    response.writeHead(200, { "content-type": "text/plain" });
    response.end("plain words, not JSON");
  } else if (path === "/missing") {
    response.writeHead(404, { "content-type": "application/json" });
    response.end(JSON.stringify({ error: "no such order" }));
  } else if (path === "/broken") {
    response.writeHead(500, { "content-type": "text/plain" });
    response.end("it broke");
  } else if (path === "/slow") {
    // Never answers: the request's timeout ends it (the server closes the socket when the test ends).
  } else if (path === "/away") {
    response.writeHead(302, { location: `http://localhost:${port}/json` });
    response.end();
  } else if (path === "/here") {
    response.writeHead(302, { location: "/json" });
    response.end();
  } else if (path === "/echo") {
    // A careless server that repeats the credential in every form it can think of.
    response.writeHead(200, { "content-type": "text/plain", "x-seen": String(request.headers.authorization ?? "") });
    response.end(Object.values(echoedForms(canary)).join("\n") + `\nauthorization: ${request.headers.authorization ?? ""}`);
  } else if (path === "/big") {
    response.writeHead(200, { "content-type": "text/plain" });
    response.end("x".repeat(5000));
  } else {
    response.writeHead(200, { "content-type": "text/plain" });
    response.end("ok");
  }
}

// The CLI is built once, before the first test's clock starts.
beforeAll(() => buildIfStale(), 180_000);

beforeAll(async () => {
  server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      received.push({ method: request.method ?? "", url: request.url ?? "", headers: request.headers, body });
      answer(request, response, body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

let ws: TestWorkspace;
beforeEach(async () => {
  ws = await TestWorkspace.create();
  received = [];
});
afterEach(async () => {
  await ws.dispose();
});

async function script(source: string, name = "web.prose"): Promise<string> {
  await writeFile(join(ws.folder, name), source.replaceAll("PORT", String(port)));
  return name;
}

const allow = () => ["--allow-net", `127.0.0.1:${port}`];

/** Every file under a folder (the script's folder and the workspace: runs, usage, the encrypted store), with its path. */
async function everyFile(root: string): Promise<Array<{ path: string; contents: Buffer }>> {
  const found: Array<{ path: string; contents: Buffer }> = [];
  const walk = async (folder: string): Promise<void> => {
    for (const entry of await readdir(folder, { withFileTypes: true }).catch(() => [])) {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) await walk(path);
      else found.push({ path, contents: await readFile(path) });
    }
  };
  await walk(root);
  return found;
}

describe("get the url / send a request to", () => {
  it("gets JSON: the response's status, parsed body and headers", async () => {
    const file = await script(['get the url "http://127.0.0.1:PORT/json"', "say the response's status", "say the response's body's name", "say the sum of the response's body's orders's totals", "say the response's headers's x-request-id"].join("\n"));
    const outcome = await ws.run(["run", file, ...allow()]);
    expect(outcome.stderr).toBe("");
    expect(outcome.stdout.trim().split("\n")).toEqual(["200", "Ada", "19.5", "r-1"]);
    expect(received.map((request) => request.method)).toEqual(["GET"]);
  });

  it("gets a text body as text", async () => {
    const file = await script(['get the url "http://127.0.0.1:PORT/text"', "say the response's body"].join("\n"));
    const outcome = await ws.run(["run", file, ...allow()]);
    expect(outcome.stdout.trim()).toBe("plain words, not JSON");
  });

  it("posts a record as JSON, with headers, a method and a timeout", async () => {
    const file = await script(
      [
        "the order's number is 42",
        'the order\'s customer is "Ada"',
        'send a request to "http://127.0.0.1:PORT/json"',
        '  the method is "post"',
        "  the body is the order",
        '  the header "X-Api-Key" is "k-{the order\'s number}"',
        "  the timeout is 5",
        "say the response's body's echo's customer",
      ].join("\n"),
    );
    const outcome = await ws.run(["run", file, ...allow()]);
    expect(outcome.stderr).toBe("");
    expect(outcome.stdout.trim()).toBe("Ada");
    expect(received).toHaveLength(1);
    expect(received[0]?.method).toBe("POST");
    expect(received[0]?.headers["content-type"]).toBe("application/json");
    expect(received[0]?.headers["x-api-key"]).toBe("k-42");
    expect(JSON.parse(received[0]?.body ?? "")).toEqual({ number: 42, customer: "Ada" });
  });

  it("sends a text body as text", async () => {
    const file = await script(['send a request to "http://127.0.0.1:PORT/plain"', '  the method is "PUT"', '  the body is "hello there"'].join("\n"));
    const outcome = await ws.run(["run", file, ...allow()]);
    expect(outcome.stderr).toBe("");
    expect(received[0]?.method).toBe("PUT");
    expect(received[0]?.headers["content-type"]).toContain("text/plain");
    expect(received[0]?.body).toBe("hello there");
  });

  it("stops at a 4xx or 5xx status with the URL and the status, unless the failure is allowed", async () => {
    const missing = await script('get the url "http://127.0.0.1:PORT/missing"', "missing.prose");
    const outcome = await ws.run(["run", missing, ...allow()]);
    expect(outcome.code).toBe(1);
    expect(outcome.stderr).toContain(`The request to http://127.0.0.1:${port}/missing failed: the server answered 404 (not found).`);
    expect(outcome.stderr).not.toMatch(/\n\s+at /);

    const broken = await script('get the url "http://127.0.0.1:PORT/broken"', "broken.prose");
    expect((await ws.run(["run", broken, ...allow()])).stderr).toContain("answered 500 (server error)");

    const allowed = await script(['get the url "http://127.0.0.1:PORT/missing"', "  the failure is allowed", "say the response's status", "say the response's body's error"].join("\n"), "allowed.prose");
    const kept = await ws.run(["run", allowed, ...allow()]);
    expect(kept.stderr).toBe("");
    expect(kept.stdout.trim().split("\n")).toEqual(["404", "no such order"]);
  });

  it("gives up at the timeout with an English error naming host and port", async () => {
    const file = await script(['get the url "http://127.0.0.1:PORT/slow"', "  the timeout is 1"].join("\n"));
    const outcome = await ws.run(["run", file, ...allow()]);
    expect(outcome.code).toBe(1);
    expect(outcome.stderr).toContain(`127.0.0.1:${port} did not answer the request to http://127.0.0.1:${port}/slow within 1 seconds.`);
  });

  it("is cancelled with the run: --timeout stops a request in flight", async () => {
    const file = await script(['get the url "http://127.0.0.1:PORT/slow"', "  the timeout is 600", 'say "not reached"'].join("\n"));
    const outcome = await ws.run(["run", file, "--timeout", "1", ...allow()]);
    expect(outcome.code).toBe(124);
    expect(outcome.stdout).not.toContain("not reached");
    expect(outcome.stderr).not.toMatch(/\n\s+at /);
  });

  it("says an unreachable address names host and port, never a stack trace", async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const closedPort = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const file = await script(`get the url "http://127.0.0.1:${closedPort}/x"`);
    const outcome = await ws.run(["run", file, "--allow-net", "127.0.0.1"]);
    expect(outcome.code).toBe(1);
    expect(outcome.stderr).toContain(`I can't reach 127.0.0.1:${closedPort} for http://127.0.0.1:${closedPort}/x: nothing is listening there (connection refused).`);
    expect(outcome.stderr).not.toMatch(/\n\s+at /);
  });

  it("reaches no host without --allow-net, and only the hosts it names", async () => {
    const file = await script('get the url "http://127.0.0.1:PORT/json"');
    const refused = await ws.run(["run", file]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`This run may not send web requests, so it cannot reach 127.0.0.1:${port}.`);
    expect(refused.stderr).toContain(`fix: run it with --allow-net 127.0.0.1:${port}.`);
    const otherPort = await ws.run(["run", file, "--allow-net", `127.0.0.1:${port === 65535 ? 1 : port + 1}`]);
    expect(otherPort.stderr).toContain(`may not reach 127.0.0.1:${port}: it is not named by --allow-net.`);
    expect(received).toEqual([]);
    expect((await ws.run(["run", file, "--allow-net", "*"])).code).toBe(0);
  });

  it("refuses a redirect to a host --allow-net does not name, and follows one to the same host", async () => {
    const away = await script('get the url "http://127.0.0.1:PORT/away"', "away.prose");
    const outcome = await ws.run(["run", away, ...allow()]);
    expect(outcome.code).toBe(1);
    expect(outcome.stderr).toContain(`http://127.0.0.1:${port}/away redirected to http://localhost:${port}/json, and this run may not reach localhost:${port}`);
    expect(received.map((request) => request.url)).toEqual(["/away"]);

    const here = await script(['get the url "http://127.0.0.1:PORT/here"', "say the response's body's name"].join("\n"), "here.prose");
    expect((await ws.run(["run", here, ...allow()])).stdout.trim()).toBe("Ada");
  });

  it("refuses an answer larger than PROSE_MAX_ANSWER_BYTES", async () => {
    const file = await script('get the url "http://127.0.0.1:PORT/big"');
    const outcome = await ws.run(["run", file, ...allow()], { env: { PROSE_MAX_ANSWER_BYTES: "1KB" } });
    expect(outcome.code).toBe(1);
    expect(outcome.stderr).toContain("is larger than 1000 bytes, the most a run takes (PROSE_MAX_ANSWER_BYTES)");
  });

  it("does not send a POST again when the run is resumed: the journal's response is replayed", async () => {
    const file = await script(['send a request to "http://127.0.0.1:PORT/json"', '  the method is "POST"', '  the body is "once"', "say the response's status", "say the reviewer"].join("\n"));
    const first = await ws.run(["run", file, ...allow()]);
    expect(first.code).toBe(3);
    const runId = /run-[0-9T]+-[a-z0-9]+/.exec(first.stdout + first.stderr)?.[0] ?? (await readdir(join(ws.workspace, "runs")))[0];
    expect(runId).toBeDefined();
    const resumed = await ws.run(["run", "--resume", runId!, "--answer", "the reviewer=Ann", ...allow()]);
    expect(resumed.stderr).toBe("");
    expect(resumed.stdout.trim().split("\n")).toEqual(["200", "Ann"]);
    expect(received.filter((request) => request.method === "POST")).toHaveLength(1);
  });
});

describe("prose secret and the credential", () => {
  it("adds, lists and removes named secrets; a value is never an argument", async () => {
    expect((await ws.run(["secret", "add", "crm token", "--stdin"], { stdin: `${canary}\n` })).code).toBe(0);
    expect((await ws.run(["secret", "add", "Mail Password", "--env", "MAIL_PASSWORD"], { env: { MAIL_PASSWORD: "pw-12345678" } })).code).toBe(0);
    await writeFile(join(ws.folder, "key.txt"), "from-a-file-1234\n");
    expect((await ws.run(["secret", "add", "file key", "--file", "key.txt"])).code).toBe(0);
    const listed = await ws.run(["secret", "list"]);
    expect(listed.stdout.trim().split("\n")).toEqual(["crm token", "file key", "mail password"]);
    expect(JSON.parse((await ws.run(["secret", "list", "--json"])).stdout)).toEqual({ agent: "default", secrets: ["crm token", "file key", "mail password"] });
    // Replacing keeps one value: the newest.
    expect((await ws.run(["secret", "add", "file key", "--stdin"], { stdin: "second-value-5678" })).stdout).toContain('Replaced the secret "file key"');
    expect((await ws.entries()).filter((entry) => entry.providerId.startsWith("secret."))).toHaveLength(3);
    expect((await ws.run(["secret", "remove", "file key"])).code).toBe(0);
    expect((await ws.run(["secret", "list", "--json"])).stdout).not.toContain("file key");
    const missing = await ws.run(["secret", "remove", "file key"]);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toContain('has no secret named "file key"');
    const asArgument = await ws.run(["secret", "add", "x", "--value", "pasted-secret-value"]);
    expect(asArgument.code).toBe(2);
    expect(asArgument.stderr).not.toContain("pasted-secret-value");
    expect((await ws.run(["secret", "list", "--agent", "other"])).stdout).toContain('The agent "other" has no secrets.');
    const pastedAsName = await ws.run(["secret", "add", canary, "--stdin"], { stdin: "x" });
    expect(pastedAsName.code).toBe(2);
    expect(pastedAsName.stderr).toContain("looks like a secret value, not a name");
    expect(findCanary(canary, pastedAsName.stdout + pastedAsName.stderr, "output")).toEqual([]);
    const empty = await ws.run(["secret", "add", "blank", "--env", "UNSET_VARIABLE_X"]);
    expect(empty.stderr).toContain("No secret was found in the variable UNSET_VARIABLE_X");
    expect(empty.stderr).toContain("Give the value with --stdin, --env VAR or --file F.");
  });

  it("keeps every secret when several processes add them at once (the workspace lock)", async () => {
    const names = ["one", "two", "three", "four", "five", "six"];
    const outcomes = await Promise.all(names.map((name) => ws.run(["secret", "add", name, "--stdin"], { stdin: `value-of-${name}-123456` })));
    expect(outcomes.map((outcome) => outcome.code)).toEqual(names.map(() => 0));
    expect(JSON.parse((await ws.run(["secret", "list", "--json"])).stdout).secrets).toEqual([...names].sort());
    expect(await ws.leftovers()).toEqual([]);
  });

  it("keeps named secrets when a byom command tidies the workspace", async () => {
    expect((await ws.run(["secret", "add", "crm token", "--stdin"], { stdin: canary })).code).toBe(0);
    expect((await ws.add("Local", `http://127.0.0.1:${port}/v1`, "sk-test-1234567890abcdef")).code).toBe(0);
    expect((await ws.add("Other", `http://127.0.0.1:${port}/v1`, "sk-test-abcdef1234567890")).code).toBe(0);
    expect((await ws.run(["secret", "list"])).stdout.trim()).toBe("crm token");
  });

  it("sends the credential as a Bearer token and never shows it: say, text, --json, journal, run.json, errors", async () => {
    expect((await ws.run(["secret", "add", "crm token", "--stdin"], { stdin: canary })).code).toBe(0);
    const file = await script(
      [
        'the token is the credential "crm token"',
        "say the token",
        'say "token: {the token}"',
        'send a request to "http://127.0.0.1:PORT/echo"',
        '  the credential is "crm token"',
        "say the response's body",
        "say the response's headers's x-seen",
        'write "token={the token}; echoed={the response\'s body}" to the file "out.txt"',
        "write the response to the file \"response.json\"",
        'get the url "http://127.0.0.1:PORT/json"',
        '  the header "X-Crm-Key" is the credential "crm token"',
        'fail "stopped after {the token}"',
      ].join("\n"),
    );
    const outcome = await ws.run(["run", file, ...allow()]);
    const asJson = await ws.run(["run", file, "--json", ...allow()]);
    expect(outcome.stdout.split("\n").slice(0, 2)).toEqual(["[secret]", "token: [secret]"]);
    expect(outcome.stdout).toContain("Bearer [secret]");
    expect(outcome.stderr).toContain("stopped after [secret]");
    // The server got the value: in the Authorization header, and in the header line (no Bearer then).
    expect(received[0]?.headers.authorization).toBe(`Bearer ${canary}`);
    expect(received[1]?.headers["x-crm-key"]).toBe(canary);
    expect(received[1]?.headers.authorization).toBeUndefined();
    const sightings = [
      ...findCanary(canary, outcome.stdout, "stdout"),
      ...findCanary(canary, outcome.stderr, "stderr"),
      ...findCanary(canary, asJson.stdout, "--json stdout"),
      ...findCanary(canary, asJson.stderr, "--json stderr"),
      ...(await everyFile(ws.folder)).flatMap((found) => findCanary(canary, found.contents, found.path)),
    ];
    expect(await readFile(join(ws.folder, "out.txt"), "utf8")).toContain("token=[secret]; echoed=");
    expect(sightings, describeSightings(sightings)).toEqual([]);
    expect(JSON.parse(asJson.stdout).facts.token).toBe("[secret]");
  });

  it("says in English when a credential does not exist", async () => {
    const file = await script(['get the url "http://127.0.0.1:PORT/json"', '  the credential is "nope"'].join("\n"));
    const outcome = await ws.run(["run", file, ...allow()]);
    expect(outcome.code).toBe(1);
    expect(outcome.stderr).toContain('This agent has no secret named "nope".');
    expect(received).toEqual([]);
  });

  it("prose check --agent: a literal credential name the agent does not have is an error, with the close name", async () => {
    expect((await ws.run(["secret", "add", "crm token", "--stdin"], { stdin: canary })).code).toBe(0);
    const file = await script(['the token is the credential "crm tokn"', 'get the url "http://127.0.0.1:PORT/json"', '  the credential is "CRM  Token"'].join("\n"));
    const checked = await ws.run(["check", file, "--agent", "default"]);
    expect(checked.code).toBe(2);
    expect(checked.stdout + checked.stderr).toContain('web.prose:1:14: error: The agent has no secret named "crm tokn"; its secrets are "crm token".');
    expect(checked.stdout + checked.stderr).toContain('did you mean: "crm token"');
    expect(checked.stdout + checked.stderr).toContain("1 error found");
    expect((await ws.run(["check", file])).code).toBe(0);
  });
});
