import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { answerByPrompt, promptOf } from "../../support/journaled-run.js";
import { buildIfStale, repositoryRoot, spawnProse, until, type SpawnedProse } from "../../support/built-cli.js";
import { startOpenAiServer } from "../../support/openai-server.js";
import { jsonResponse, type ScriptedServer } from "../../support/scripted-server.js";

/**
 * The page `prose serve` serves, in a real browser: Debian's Chromium driven by playwright-core,
 * against the built CLI's server (a token made with `prose serve token create`) and a local
 * OpenAI-protocol model server. Log in, answer the inbox's questions in place (a choice with a
 * click, a value typed, a failure skipped), see each run finish with its output; a run whose
 * output and question carry HTML shows it as text. The inbox's screenshot is kept in
 * test/artifacts/inbox.png.
 */
const chromiumPath = "/usr/bin/chromium";
const hasChromium = existsSync(chromiumPath);
const skipReason = `${chromiumPath} is missing: install Debian's Chromium with \`apt-get install -y chromium\` (.ci/run does)`;
if (!hasChromium) console.warn(`test/cli/serve/page.browser.test.ts skipped: ${skipReason}`);

const artifacts = join(repositoryRoot, "test", "artifacts");
const hostile = `<script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2">`;

let folder: string;
let workspace: string;
let model: ScriptedServer;
let serve: SpawnedProse | undefined;
let url: string;
let token: string;
let browser: Browser | undefined;
let context: BrowserContext;
let page: Page;
const pageProblems: string[] = [];

async function api(method: string, path: string, body?: unknown): Promise<{ status: number; json: any }> {
  const response = await fetch(`${url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { "content-type": "application/json" }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, json: await response.json() };
}

async function runSettles(runId: string, status: string): Promise<any> {
  let run: any;
  const start = Date.now();
  for (;;) {
    run = (await api("GET", `/api/runs/${runId}`)).json;
    if (run.status === status) return run;
    if (Date.now() - start > 20_000) throw new Error(`run ${runId} is ${run.status}, not ${status}: ${JSON.stringify(run.error)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe.skipIf(!hasChromium)(hasChromium ? "the page of prose serve, in Chromium" : `the page of prose serve, in Chromium (skipped: ${skipReason})`, () => {
  beforeAll(async () => {
    buildIfStale();
    folder = mkdtempSync(join(tmpdir(), "prose-page-"));
    workspace = join(folder, "workspace");
    const scripts = join(folder, "scripts");
    mkdirSync(scripts);
    writeFileSync(join(scripts, "pick.prose"), 'ask the model "Name a colour"\nsay "The model said {the answer}"\nask "How should we send it?"\n    the choices are "Email", "SMS"\nsay "Sending by {the answer}"\n');
    writeFileSync(join(scripts, "vendor.prose"), 'ask "What is the vendor\'s email?"\nsay "Vendor: {the answer}"\n');
    writeFileSync(join(scripts, "batch.prose"), 'the items are "apples", "broken pears"\nprocess each item in the items in parallel as follows\n    ask the model "Describe {the item}"\n    say "{the item}: {the answer}"\nsay "all done"\n');
    writeFileSync(join(scripts, "slow.prose"), 'say "first"\nask the model "A slow step"\nsay "second: {the answer}"\n');
    writeFileSync(join(scripts, "echo.prose"), 'say "Note: {the note}"\nask "Approve {the note}?"\n    the choices are "<b>yes</b>", "no"\nsay "approved: {the answer}"\n');

    model = await startOpenAiServer();
    answerByPrompt(model, (prompt) => (prompt.includes("broken") ? jsonResponse(400, { error: { message: "this item cannot be described", type: "invalid_request_error" } }) : prompt.includes("colour") ? "teal" : prompt.includes("slow") ? "late" : "crisp"), (prompt) => (prompt.includes("slow") ? 1500 : 0));
    const env = { OPENAI_API_KEY: "sk-page-test", OPENAI_BASE_URL: `${model.url}/v1` };

    const made = spawnProse(["serve", "token", "create", "--workspace", workspace, "--json"], { cwd: folder, env });
    expect(await made.exited, made.stderr()).toBe(0);
    token = JSON.parse(made.stdout()).token;

    serve = spawnProse(["serve", "--port", "0", "--host", "127.0.0.1", "--workspace", workspace, "--scripts", scripts], { cwd: folder, env });
    await until(() => /listening on http:\/\/127\.0\.0\.1:\d+/.test(serve!.stdout()) || serve!.child.exitCode !== null, 20_000);
    const listening = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(serve.stdout());
    if (listening === null) throw new Error(`prose serve did not start:\n${serve.stdout()}\n${serve.stderr()}`);
    url = listening[1]!;

    browser = await chromium.launch({ executablePath: chromiumPath, headless: true, args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking"] });
    context = await browser.newContext({ viewport: { width: 1100, height: 900 } });
    page = await context.newPage();
    // A CSP refusal (an inline script or style), a failed module or an uncaught error shows here.
    page.on("console", (message) => {
      if (message.type() === "error") pageProblems.push(message.text());
    });
    page.on("pageerror", (error) => pageProblems.push(error.message));
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    if (serve !== undefined && serve.child.exitCode === null) {
      serve.child.kill("SIGTERM");
      await serve.exited;
    }
    await model?.close();
    if (folder) rmSync(folder, { recursive: true, force: true });
  });

  it("logs in with the token, which ends up only in an HttpOnly SameSite=Strict cookie", async () => {
    await page.goto(url);
    await expect.poll(() => page.locator("#login").isVisible()).toBe(true);
    // Without the session, nothing of the runs is shown.
    expect(await page.locator("#app").isVisible()).toBe(false);
    await page.getByLabel("Token").fill(token);
    await page.getByRole("button", { name: "Log in" }).click();
    await page.locator("#app").waitFor({ state: "visible" });
    expect(await page.getByLabel("Token").inputValue()).toBe("");
    expect(await page.locator("#whoami").textContent()).toMatch(/^Token .+ \(every agent\)$/);
    const cookies = await context.cookies(url);
    expect(cookies).toHaveLength(1);
    expect(cookies[0]).toMatchObject({ httpOnly: true, sameSite: "Strict" });
    expect(cookies[0]!.value).not.toContain(token);
    const kept = await page.evaluate(() => JSON.stringify({ cookie: document.cookie, local: { ...localStorage }, session: { ...sessionStorage } }));
    expect(kept).not.toContain(token);
    expect(kept).toBe('{"cookie":"","local":{},"session":{}}');
    // Before the login, the page asked who it was and was refused: the one expected problem.
    expect(pageProblems).toEqual(["Failed to load resource: the server responded with a status of 401 (Unauthorized)"]);
    pageProblems.length = 0;
  }, 30_000);

  it("shows the open questions of every run in the inbox, a choice as buttons, a value as a field, a failure as retry and skip; a click answers and the run finishes with its output", async () => {
    const started = await Promise.all(["pick.prose", "vendor.prose", "batch.prose"].map((script) => api("POST", "/api/runs", { script, inputs: {} })));
    for (const { status } of started) expect(status).toBe(202);
    const [pick, vendor, batch] = started.map(({ json }) => json.runId as string);
    for (const runId of [pick!, vendor!, batch!]) await runSettles(runId, "waiting");

    // The page finds them on its own (it looks again every few seconds).
    const inbox = page.locator("#inbox-list");
    const choice = inbox.locator("li", { hasText: "How should we send it?" });
    const value = inbox.locator("li", { hasText: "What is the vendor's email?" });
    const failure = inbox.locator("li", { hasText: "Item 2 of the items (broken pears) failed" });
    await choice.waitFor({ timeout: 10_000 });
    await value.waitFor();
    await failure.waitFor();
    expect(await choice.getByRole("button").allTextContents()).toEqual([expect.stringContaining(pick!), "Email", "SMS"]);
    expect(await value.getByLabel("Your answer").count()).toBe(1);
    // Every field has its label.
    expect(await page.locator("input, textarea").evaluateAll((fields) => fields.filter((field) => (field as HTMLInputElement).labels?.length !== 1).map((field) => field.outerHTML))).toEqual([]);
    expect(await failure.getByRole("button", { name: "Retry" }).count()).toBe(1);

    mkdirSync(artifacts, { recursive: true });
    const screenshot = join(artifacts, "inbox.png");
    await page.locator("#inbox").screenshot({ path: screenshot });
    console.log(`the inbox's screenshot: ${screenshot}`);

    const modelCallsBefore = model.requests.filter((request) => promptOf(request).includes("colour")).length;
    await choice.getByRole("button", { name: "SMS" }).click();
    // The answered run opens below, followed live until it is done.
    const detail = page.locator("#run-detail");
    await expect.poll(() => detail.locator("#run-heading").textContent(), { timeout: 10_000 }).toBe(`Run ${pick}`);
    await expect.poll(() => detail.locator("#run-status").textContent(), { timeout: 15_000 }).toBe("done");
    expect(await detail.locator("#run-output").textContent()).toBe("The model said teal\nSending by SMS");
    await expect.poll(() => choice.count()).toBe(0);
    // Resuming made no model call again.
    expect(model.requests.filter((request) => promptOf(request).includes("colour")).length).toBe(modelCallsBefore);
    const done = await api("GET", `/api/runs/${pick}`);
    expect(done.json).toMatchObject({ status: "done", output: ["The model said teal", "Sending by SMS"] });

    await value.getByLabel("Your answer").fill("billing@vendor.example");
    await value.getByLabel("Your answer").press("Enter");
    await expect.poll(() => detail.locator("#run-heading").textContent(), { timeout: 10_000 }).toBe(`Run ${vendor}`);
    await expect.poll(() => detail.locator("#run-status").textContent(), { timeout: 15_000 }).toBe("done");
    expect(await detail.locator("#run-output").textContent()).toBe("Vendor: billing@vendor.example");

    await failure.getByRole("button", { name: "Skip" }).click();
    await expect.poll(() => detail.locator("#run-heading").textContent(), { timeout: 10_000 }).toBe(`Run ${batch}`);
    await expect.poll(() => detail.locator("#run-status").textContent(), { timeout: 15_000 }).toBe("done");
    expect(await detail.locator("#run-output").textContent()).toBe("apples: crisp\nall done");

    await expect.poll(() => page.locator("#inbox-empty").isVisible(), { timeout: 10_000 }).toBe(true);
    const rows = page.locator("#runs-body tr");
    await expect.poll(() => rows.count(), { timeout: 10_000 }).toBe(3);
    await expect.poll(() => page.locator("#runs-body .badge").allTextContents(), { timeout: 10_000 }).toEqual(["done", "done", "done"]);
    expect(pageProblems).toEqual([]);
  }, 60_000);

  it("starts a run from its form; output, question and choices carrying HTML are shown as text, never run", async () => {
    await page.getByLabel("Script").fill("echo.prose");
    await page.getByLabel("Inputs").fill(`the note=${hostile}`);
    await page.getByRole("button", { name: "Start the run" }).click();
    const detail = page.locator("#run-detail");
    await expect.poll(() => detail.locator("#run-status").textContent(), { timeout: 15_000 }).toBe("waiting");
    const runId = (await detail.locator("#run-heading").textContent())!.replace("Run ", "");
    expect((await api("GET", `/api/runs/${runId}`)).json).toMatchObject({ script: expect.stringContaining("echo.prose"), status: "waiting" });
    expect(await detail.locator("#run-output").textContent()).toBe(`Note: ${hostile}`);

    const question = page.locator("#inbox-list li", { hasText: "Approve" });
    await question.waitFor({ timeout: 10_000 });
    expect(await question.locator("h3").textContent()).toBe(`Approve ${hostile}?`);
    await question.getByRole("button", { name: "<b>yes</b>" }).click();
    await expect.poll(() => detail.locator("#run-status").textContent(), { timeout: 15_000 }).toBe("done");
    expect(await detail.locator("#run-output").textContent()).toBe(`Note: ${hostile}\napproved: <b>yes</b>`);

    expect(await page.locator("main script, main img, main b").count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(pageProblems).toEqual([]);
  }, 60_000);

  it("follows a running run live through its events: a line shows while the model still works, then the end", async () => {
    const streams: string[] = [];
    page.on("request", (request) => {
      if (request.url().endsWith("/events")) streams.push(request.url());
    });
    await page.getByLabel("Script").fill("slow.prose");
    await page.getByLabel("Inputs").fill("");
    await page.getByRole("button", { name: "Start the run" }).click();
    const detail = page.locator("#run-detail");
    await expect.poll(() => detail.locator("#run-output").textContent(), { timeout: 10_000 }).toBe("first");
    expect(await detail.locator("#run-status").textContent()).toBe("running");
    expect(await detail.locator("#run-live").textContent()).toBe("(live)");
    await expect.poll(() => detail.locator("#run-status").textContent(), { timeout: 15_000 }).toBe("done");
    expect(await detail.locator("#run-output").textContent()).toBe("first\nsecond: late");
    const runId = (await detail.locator("#run-heading").textContent())!.replace("Run ", "");
    expect(streams).toContain(`${url}/api/runs/${runId}/events`);
    expect(pageProblems).toEqual([]);
  }, 30_000);

  it("cancels a running run from its page, as Ctrl-C stops it", async () => {
    await page.getByLabel("Script").fill("slow.prose");
    await page.getByLabel("Inputs").fill("");
    await page.getByRole("button", { name: "Start the run" }).click();
    const detail = page.locator("#run-detail");
    await expect.poll(() => detail.locator("#run-output").textContent(), { timeout: 10_000 }).toBe("first");
    const runId = (await detail.locator("#run-heading").textContent())!.replace("Run ", "");
    await detail.getByRole("button", { name: "Cancel this run" }).click();
    await expect.poll(() => detail.locator("#run-status").textContent(), { timeout: 10_000 }).not.toBe("running");
    const run = (await api("GET", `/api/runs/${runId}`)).json;
    expect(await detail.locator("#run-status").textContent()).toBe(run.status);
    expect(run.stopped).not.toBeNull();
    expect(await detail.locator("#run-live").textContent()).toBe(`(stopped: ${run.stopped})`);
    expect(await detail.getByRole("button", { name: "Cancel this run" }).isVisible()).toBe(false);
    expect(await detail.locator("#run-output").textContent()).toBe("first");
  }, 30_000);

  it("refuses a start whose inputs line has no '=', with the fix, and logs out", async () => {
    await page.getByLabel("Script").fill("echo.prose");
    await page.getByLabel("Inputs").fill("the note");
    await page.getByRole("button", { name: "Start the run" }).click();
    await expect.poll(() => page.locator("#alert").textContent()).toContain('Line 1 of the inputs has no "="');

    await page.getByLabel("Inputs").fill("");
    await page.getByLabel("Script").fill("../outside.prose");
    await page.getByRole("button", { name: "Start the run" }).click();
    // The server's refusal, with its fix, in the page's alert.
    await expect.poll(() => page.locator("#alert").textContent()).toContain('The script "../outside.prose" lies outside the scripts root.');
    expect(await page.locator("#alert").isVisible()).toBe(true);

    await page.getByRole("button", { name: "Log out" }).click();
    await page.locator("#login").waitFor({ state: "visible" });
    await page.reload();
    await page.locator("#login").waitFor({ state: "visible" });
    expect(await page.locator("#app").isVisible()).toBe(false);
    expect(pageProblems.filter((problem) => !problem.startsWith("Failed to load resource: the server responded with a status of 4"))).toEqual([]);
  }, 30_000);
});
