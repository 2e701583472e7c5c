import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startApiServer, type ApiServer } from "../../../src/cli/serve/api-server.js";
import { createToken, revokeToken } from "../../../src/cli/serve/token-store.js";
import { startOpenAiServer } from "../../support/openai-server.js";
import type { ScriptedServer } from "../../support/scripted-server.js";
import { answerByPrompt, promptOf } from "../../support/journaled-run.js";
import { ApiClient } from "./api-client.js";

/**
 * `prose serve` in this process on a free loopback port, driven with fetch; models are a local
 * OpenAI-compatible server. Every JSON answer is checked against schemas/openapi.json.
 */
let folder: string;
let workspace: string;
let scripts: string;
let web: string;
let models: ScriptedServer;
let server: ApiServer;
let api: ApiClient;
let anonymous: ApiClient;
const slowPrompts = new Set(["take your time"]);

beforeAll(async () => {
  folder = mkdtempSync(join(tmpdir(), "prose-serve-api-"));
  workspace = join(folder, "workspace");
  scripts = join(folder, "scripts");
  web = join(folder, "web");
  mkdirSync(join(scripts, "invoices"), { recursive: true });
  mkdirSync(web);
  writeFileSync(join(web, "index.html"), "<!doctype html><title>inbox</title><script src=/assets/app.js></script>");
  writeFileSync(join(web, "app.js"), "document.title = 'x';\n");
  writeFileSync(join(scripts, "invoices", "approve.prose"), 'ask the model "summarize the invoice"\nsay the answer\nget the approver\nsay "approved by {the approver}"\n');
  writeFileSync(join(scripts, "slow.prose"), 'say "starting"\nask the model "take your time"\nsay the answer\n');
  writeFileSync(join(scripts, "hello.prose"), 'say "hello {the customer}"\n');
  writeFileSync(join(scripts, "broken.prose"), 'say the missing thing\nrepeat until\n');
  writeFileSync(join(folder, "outside.prose"), 'say "outside"\n');
  models = await startOpenAiServer();
  answerByPrompt(models, (prompt) => `answer to ${prompt}`, (prompt) => (slowPrompts.has(prompt) ? 20_000 : 0));
  server = await startApiServer({
    workspace,
    scriptsRoot: scripts,
    host: "127.0.0.1",
    port: 0,
    maxRuns: 4,
    environment: { OPENAI_API_KEY: "sk-serve-test-0123456789", OPENAI_BASE_URL: `${models.url}/v1` },
    webFolder: web,
    log: () => undefined,
  });
  const { token } = await createToken(workspace, { agents: [], name: "tests", now: new Date() });
  api = new ApiClient(server.url, token);
  anonymous = new ApiClient(server.url);
}, 60_000);

afterAll(async () => {
  await server?.close();
  await models?.close();
  rmSync(folder, { recursive: true, force: true });
});

async function until<T>(probe: () => Promise<T | undefined>, timeout = 15_000): Promise<T> {
  const start = Date.now();
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() - start > timeout) throw new Error("timed out");
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const statusOf = async (runId: string) => (await api.get(`/api/runs/${runId}`)).body.status as string;

describe("prose serve: auth", () => {
  it("answers health without a token, and nothing else", async () => {
    expect((await anonymous.get("/api/health")).body).toEqual({ status: "ok", runs: { running: 0, queued: 0 } });
    for (const path of ["/api/runs", "/api/questions", "/api/usage", "/api/openapi.json", "/api/runs/run-20260101T000000-abcdef"]) {
      const refused = await anonymous.get(path);
      expect(refused.status).toBe(401);
      expect(refused.body.error.message).toBe("This request carries no token.");
    }
    const wrong = await api.withToken("prose_not-a-token").get("/api/runs");
    expect(wrong.status).toBe(401);
    expect(JSON.stringify(wrong.body)).not.toContain("runs\":");
    expect((await api.request("GET", "/api/runs", { headers: { authorization: "Basic abc" } })).status).toBe(401);
  });

  it("refuses a revoked token at once", async () => {
    const { token, record } = await createToken(workspace, { agents: [], now: new Date() });
    const client = api.withToken(token);
    expect((await client.get("/api/runs")).status).toBe(200);
    await revokeToken(workspace, record.id, new Date());
    const refused = await client.get("/api/runs");
    expect(refused.status).toBe(401);
    expect(refused.body.error.message).toMatch(/wrong, or it was revoked/);
  });

  it("keeps a token limited to an agent to that agent's runs: 403 to start another's, 404 to see one", async () => {
    const started = await api.post("/api/runs", { script: "hello.prose", inputs: { customer: "Ann" } });
    expect(started.status).toBe(202);
    const { token } = await createToken(workspace, { agents: ["alpha"], now: new Date() });
    const alpha = api.withToken(token);
    expect((await alpha.get(`/api/runs/${started.body.runId}`)).status).toBe(404);
    expect((await alpha.request("GET", `/api/runs/${started.body.runId}/events`)).status).toBe(404);
    expect((await alpha.get("/api/runs")).body.runs).toEqual([]);
    const other = await alpha.post("/api/runs", { script: "hello.prose", agent: "default" });
    expect(other.status).toBe(403);
    expect((await alpha.get("/api/runs?agent=default")).status).toBe(403);
    // Its own agent's run is its to see (the agent has no providers: the script calls no model).
    const own = await alpha.post("/api/runs", { script: "hello.prose", inputs: ["customer=Bo"] });
    expect(own.status).toBe(202);
    expect(own.body.usage.agent).toBe("alpha");
    expect(await until(async () => ((await alpha.get(`/api/runs/${own.body.runId}`)).body.status === "done" ? true : undefined))).toBe(true);
    expect((await alpha.get("/api/runs")).body.runs.map((run: { runId: string }) => run.runId)).toEqual([own.body.runId]);
  });

  it("logs the page in with a cookie (HttpOnly, SameSite=Strict, not the token); a change by cookie needs X-Prose-Page", async () => {
    const { token } = await createToken(workspace, { agents: [], now: new Date() });
    const login = await anonymous.request("POST", "/api/session", { body: { token } });
    expect(login.status).toBe(200);
    const cookie = login.headers.get("set-cookie")!;
    expect(cookie).toMatch(/^prose_session=[A-Za-z0-9_-]{43}; HttpOnly; SameSite=Strict; Path=\//);
    expect(cookie).not.toContain(token);
    expect(cookie).not.toContain("Secure");
    const session = cookie.split(";")[0]!;
    expect((await anonymous.request("GET", "/api/runs", { headers: { cookie: session } })).status).toBe(200);
    const forged = await anonymous.request("POST", "/api/runs", { body: { script: "hello.prose" }, headers: { cookie: session } });
    expect(forged.status).toBe(403);
    expect(forged.body.error.message).toMatch(/X-Prose-Page: 1/);
    const fromPage = await anonymous.request("POST", "/api/runs", { body: { script: "hello.prose" }, headers: { cookie: session, "x-prose-page": "1" } });
    expect(fromPage.status).toBe(202);
    expect((await anonymous.request("DELETE", "/api/session", { headers: { cookie: session } })).status).toBe(200);
    expect((await anonymous.request("GET", "/api/runs", { headers: { cookie: session } })).status).toBe(401);
    expect((await anonymous.request("POST", "/api/session", { body: { token: "prose_wrong" } })).status).toBe(401);
  });
});

describe("prose serve: runs", () => {
  it("starts a run, streams its events, lists its question in the inbox, and resumes it on an answer with no model call repeated", async () => {
    const before = models.requests.length;
    const started = await api.post("/api/runs", { script: "invoices/approve.prose", project: "q4" });
    expect(started.status).toBe(202);
    expect(started.headers.get("location")).toBe(`/api/runs/${started.body.runId}`);
    const runId = started.body.runId as string;
    const events = await api.events(runId);
    expect(events.map((event) => event.event)).toEqual(["status", "status", "output", "question", "status"]);
    expect(events[2]!.data).toEqual({ line: "answer to summarize the invoice" });
    expect(events.at(-1)!.data).toEqual({ runId, status: "waiting" });
    const question = events[3]!.data.question;
    expect(question).toMatchObject({ kind: "value", text: "What is the approver?", subject: "the approver", at: "invoices/approve.prose:3:9" });

    const inbox = await api.get("/api/questions");
    expect(inbox.body.questions).toContainEqual(expect.objectContaining({ runId, script: "invoices/approve.prose", agent: "default", project: "q4", question }));
    const shown = await api.get(`/api/runs/${runId}`);
    expect(shown.body).toMatchObject({ runId, status: "waiting", output: ["answer to summarize the invoice"], questions: [question] });

    const answered = await api.post(`/api/runs/${runId}/answers`, { answers: { "the approver": "Ann", "no such question": "x" } });
    expect(answered.status).toBe(202);
    expect(answered.body.warnings).toEqual(['The answer "no such question" matches none of the run\'s open questions; it was not used.']);
    // Every view while the run resumes keeps what it had said: its output never shrinks (the replay says it again).
    const seen: string[][] = [];
    expect(
      await until(async () => {
        const view = await api.get(`/api/runs/${runId}`);
        seen.push(view.body.output as string[]);
        return view.body.status === "done" ? true : undefined;
      }),
    ).toBe(true);
    for (const output of seen) expect(output.slice(0, 1)).toEqual(["answer to summarize the invoice"]);
    const done = await api.get(`/api/runs/${runId}`);
    expect(done.body).toMatchObject({ status: "done", output: ["answer to summarize the invoice", "approved by Ann"], facts: { approver: "Ann" }, questions: [] });
    expect(done.body.timings.attempts.map((attempt: { status: string }) => attempt.status)).toEqual(["waiting", "done"]);
    // One model call in all: the resumed attempt replayed it from the journal.
    expect(models.requests.slice(before).map(promptOf)).toEqual(["summarize the invoice"]);
    expect(done.body.usage).toMatchObject({ modelCalls: 1, project: "q4", attempts: 1 });

    // A late subscriber gets the whole story once: each line once, though the resumed attempt replayed the first.
    const late = await api.events(runId);
    expect(late.filter((event) => event.event === "output").map((event) => event.data.line)).toEqual(["answer to summarize the invoice", "approved by Ann"]);
    expect(late.at(-1)!.data).toEqual({ runId, status: "done" });
    // Last-Event-ID: only what came after.
    const after = await api.events(runId, { "last-event-id": String(late.at(-2)!.id) });
    expect(after.map((event) => event.data)).toEqual([{ runId, status: "done" }]);

    expect((await api.get("/api/questions")).body.questions.filter((entry: { runId: string }) => entry.runId === runId)).toEqual([]);
    const listed = await api.get("/api/runs?status=done");
    expect(listed.body.runs.map((run: { runId: string }) => run.runId)).toContain(runId);
    expect((await api.get("/api/runs?status=waiting")).body.runs.map((run: { runId: string }) => run.runId)).not.toContain(runId);
    const usage = await api.get("/api/usage?project=q4");
    expect(usage.body.total).toMatchObject({ attempts: 1, failedAttempts: 0 });
    expect((await api.get("/api/usage?by=model")).body.rows.length).toBeGreaterThan(0);
  });

  it("takes answers by question id and as --answer pairs, several at once", async () => {
    writeFileSync(join(scripts, "two.prose"), 'get the approver\nget the amount as a number\nsay "{the approver} approves {the amount}"\n');
    const runId = (await api.post("/api/runs", { script: "two.prose" })).body.runId as string;
    await until(async () => ((await statusOf(runId)) === "waiting" ? true : undefined));
    const { questions } = (await api.get(`/api/runs/${runId}`)).body;
    expect(questions.map((question: { subject: string }) => question.subject)).toEqual(["the approver", "the amount"]);
    await api.post(`/api/runs/${runId}/answers`, { answers: { [questions[0].questionId]: "Ann", "the amount": 12 } });
    await until(async () => ((await statusOf(runId)) === "done" ? true : undefined));
    expect((await api.get(`/api/runs/${runId}`)).body.output).toEqual(["Ann approves 12"]);

    const second = (await api.post("/api/runs", { script: "two.prose" })).body.runId as string;
    await until(async () => ((await statusOf(second)) === "waiting" ? true : undefined));
    expect((await api.post(`/api/runs/${second}/answers`, { answers: ["the approver=Bo", "the amount=7"] })).status).toBe(202);
    await until(async () => ((await statusOf(second)) === "done" ? true : undefined));
    expect((await api.get(`/api/runs/${second}`)).body.output).toEqual(["Bo approves 7"]);
  });

  it("cancels a run as Ctrl-C does: the model call in flight is cancelled; it can then be neither cancelled nor answered", async () => {
    const runId = (await api.post("/api/runs", { script: "slow.prose" })).body.runId as string;
    await until(async () => (models.requests.some((request) => promptOf(request) === "take your time") ? true : undefined));
    const started = Date.now();
    const cancelled = await api.post(`/api/runs/${runId}/cancel`);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(cancelled.status).toBe(200);
    expect(cancelled.body).toMatchObject({ runId, status: "failed", stopped: "interrupted", output: ["starting"] });
    expect(cancelled.body.error.message).toMatch(/interrupted/);
    const again = await api.post(`/api/runs/${runId}/cancel`);
    expect(again.status).toBe(409);
    const answered = await api.post(`/api/runs/${runId}/answers`, { answers: { x: "y" } });
    expect(answered.status).toBe(409);
    expect(answered.body.error.message).toMatch(/is failed \(stopped: cancelled or interrupted\): it has no open question/);
  });

  it("stops a run at its timeoutSeconds, cancelling the model call in flight", async () => {
    const started = await api.post("/api/runs", { script: "slow.prose", timeoutSeconds: 0.5, concurrency: 2 });
    const runId = started.body.runId as string;
    const events = await api.events(runId);
    expect(events.at(-1)!.data).toMatchObject({ runId, status: "failed", stopped: "timeout" });
    const run = (await api.get(`/api/runs/${runId}`)).body;
    expect(run).toMatchObject({ status: "failed", stopped: "timeout", output: ["starting"] });
    expect(run.error.message).toMatch(/--timeout of 0.5 s/);
  });

  it("queues runs beyond --max-runs and runs them as places free", async () => {
    const ids: string[] = [];
    for (let index = 0; index < 6; index++) ids.push((await api.post("/api/runs", { script: "slow.prose" })).body.runId);
    const health = (await anonymous.get("/api/health")).body;
    expect(health.runs).toEqual({ running: 4, queued: 2 });
    const queued = (await api.get(`/api/runs/${ids[5]}`)).body;
    expect(queued).toMatchObject({ status: "running", timings: { attempts: [] } });
    for (const id of ids) expect((await api.post(`/api/runs/${id}/cancel`)).status).toBe(200);
    expect((await anonymous.get("/api/health")).body.runs).toEqual({ running: 0, queued: 0 });
  });
});

describe("prose serve: bad input", () => {
  it("answers each with a JSON error that has a message and a fix", async () => {
    const cases: Array<[string, string, { body?: unknown; rawBody?: string; headers?: Record<string, string> }, number, RegExp]> = [
      ["POST", "/api/runs", { rawBody: '{"script": "hello.prose",' }, 400, /not valid JSON/],
      ["POST", "/api/runs", { body: { script: "hello.prose", colour: "blue" } }, 400, /unknown field\(s\) "colour"/],
      ["POST", "/api/runs", { body: { script: 42 } }, 400, /"script"/],
      ["POST", "/api/runs", { body: { script: "hello.prose", concurrency: 0 } }, 400, /"concurrency"/],
      ["POST", "/api/runs", { body: { script: "../outside.prose" } }, 400, /lies outside the scripts root/],
      ["POST", "/api/runs", { body: { script: join(folder, "outside.prose") } }, 400, /not a path relative to the scripts root/],
      ["POST", "/api/runs", { body: { script: "nothing-here.prose" } }, 400, /There is no script "nothing-here.prose"/],
      ["POST", "/api/runs", { body: { script: "invoices" } }, 400, /is a folder/],
      ["POST", "/api/runs", { body: { script: "hello.prose", inputs: ["no equals"] } }, 400, /has no "="/],
      ["POST", "/api/runs", { body: { script: "hello.prose", inputs: { doc: "@../outside.prose" } } }, 400, /outside the scripts root/],
      ["POST", "/api/runs", { body: { script: "hello.prose", agent: "../etc" } }, 400, /agent/i],
      ["POST", "/api/runs", { rawBody: JSON.stringify({ script: "x".repeat(2 * 1024 * 1024) }) }, 413, /larger than 1 MB/],
      ["POST", "/api/runs", { rawBody: "script=hello.prose", headers: { "content-type": "text/plain" } }, 415, /not JSON/],
      ["GET", "/api/runs/run-20260101T000000-abcdef", {}, 404, /There is no run/],
      ["GET", "/api/runs/..%2F..%2Fetc", {}, 404, /There is no run/],
      ["POST", "/api/runs/run-20260101T000000-abcdef/answers", { body: { answers: { a: "b" } } }, 404, /There is no run/],
      ["POST", "/api/runs/run-20260101T000000-abcdef/cancel", {}, 404, /There is no run/],
      ["GET", "/api/runs?status=sleeping", {}, 400, /"status"/],
      ["GET", "/api/runs?colour=blue", {}, 400, /unknown field\(s\) "colour"/],
      ["GET", "/api/usage?by=colour", {}, 400, /by "colour" is not one of/],
      ["GET", "/api/usage?since=yesterday-ish", {}, 400, /since "yesterday-ish"/],
      ["GET", "/api/nothing", {}, 404, /There is no GET \/api\/nothing here/],
    ];
    for (const [method, path, options, status, message] of cases) {
      const response = await api.request(method, path, options);
      expect([path, response.status], JSON.stringify(response.body)).toEqual([path, status]);
      expect(response.body.error.message).toMatch(message);
      expect(response.body.error.fix.length).toBeGreaterThan(10);
      expect(JSON.stringify(response.body)).not.toMatch(/at .*\.(ts|js):\d+/);
    }
  });

  it("refuses a script with errors (422), naming every diagnostic with its fix", async () => {
    const refused = await api.post("/api/runs", { script: "broken.prose" });
    expect(refused.status).toBe(422);
    expect(refused.body.error.message).toMatch(/^The script broken.prose has \d+ error\(s\), the first: /);
    expect(refused.body.error.diagnostics.length).toBeGreaterThan(0);
    expect(refused.body.error.diagnostics[0].at).toMatch(/^broken.prose:/);
  });

  it("refuses answers to a finished run, and answers that match no open question", async () => {
    const runId = (await api.post("/api/runs", { script: "hello.prose", inputs: { customer: "Cy" } })).body.runId as string;
    await until(async () => ((await statusOf(runId)) === "done" ? true : undefined));
    const finished = await api.post(`/api/runs/${runId}/answers`, { answers: { "the customer": "Di" } });
    expect(finished.status).toBe(409);
    expect(finished.body.error.fix).toMatch(/start a new run of hello.prose/);
    const waiting = (await api.post("/api/runs", { script: "two.prose" })).body.runId as string;
    await until(async () => ((await statusOf(waiting)) === "waiting" ? true : undefined));
    const unmatched = await api.post(`/api/runs/${waiting}/answers`, { answers: { "the colour": "blue" } });
    expect(unmatched.status).toBe(422);
    expect(unmatched.body.error.fix).toMatch(/What is the approver\?/);
    expect(await statusOf(waiting)).toBe("waiting");
    expect((await api.post(`/api/runs/${waiting}/answers`, { answers: {} })).status).toBe(422);
    expect((await api.post(`/api/runs/${waiting}/answers`, { answer: { a: 1 } })).status).toBe(400);
  });
});

describe("prose serve: the page's files", () => {
  it("serves web/ with its content types and a strict Content-Security-Policy", async () => {
    const page = await fetch(`${server.url}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(page.headers.get("content-security-policy")).toMatch(/^default-src 'self'/);
    expect(page.headers.get("x-content-type-options")).toBe("nosniff");
    expect(await page.text()).toContain("<title>inbox</title>");
    const script = await fetch(`${server.url}/assets/app.js`);
    expect(script.headers.get("content-type")).toBe("text/javascript; charset=utf-8");
    for (const path of ["/assets/missing.css", "/assets/..%2Fscripts%2Fhello.prose", "/assets/.hidden"]) {
      const missing = await fetch(`${server.url}${path}`);
      expect(missing.status).toBe(404);
      expect(((await missing.json()) as { error: { message: string } }).error.message).toMatch(/The page has no file/);
    }
  });

  it("serves its OpenAPI file and the run schema it references", async () => {
    const spec = await api.get("/api/openapi.json");
    expect(spec.body.openapi).toBe("3.1.0");
    expect(Object.keys(spec.body.paths)).toEqual(expect.arrayContaining(["/api/runs", "/api/runs/{runId}", "/api/runs/{runId}/events", "/api/runs/{runId}/answers", "/api/runs/{runId}/cancel", "/api/questions", "/api/usage", "/api/health", "/api/openapi.json"]));
    expect((await api.get("/api/run.schema.json")).body.$id).toBe("https://prose-lang.dev/schemas/run.schema.json");
  });
});

describe("prose serve on another address than loopback", () => {
  it("marks the page's cookie Secure (checked without listening: Fastify's inject)", async () => {
    const { buildApp, isLoopback } = await import("../../../src/cli/serve/api-server.js");
    expect(["127.0.0.1", "127.8.0.1", "::1", "localhost"].every(isLoopback)).toBe(true);
    expect(["0.0.0.0", "::", "192.168.1.2", "example.com"].some(isLoopback)).toBe(false);
    const app = buildApp(server.manager, { workspace, host: "0.0.0.0", environment: {}, log: () => undefined });
    const { token } = await createToken(workspace, { agents: [], now: new Date() });
    const login = await app.inject({ method: "POST", url: "/api/session", payload: { token } });
    expect(login.statusCode).toBe(200);
    expect(login.headers["set-cookie"]).toMatch(/; HttpOnly; SameSite=Strict; Path=\/; Max-Age=43200; Secure$/);
    await app.close();
  });
});
