/**
 * Stoplight Prism for the contract tests: one mock server per test file, started from the
 * project's own binary on 127.0.0.1, and a fetch that records what Prism said about each request.
 * Prism answers 422 (with the violations in its `sl-violations` header) to a request that
 * breaks the OpenAPI description, and a response shaped by the description otherwise.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { createServer } from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { expect } from "vitest";
import type { GenerateRequest, GenerateResult, LanguageModel } from "../../src/llm/language-model.js";

const repositoryRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

/**
 * The providers' OpenAPI descriptions, shared beside the repository (see its README.md), or in
 * the folder PROSE_SPECS_FOLDER names (a git worktree kept elsewhere).
 */
export const specsFolder = process.env.PROSE_SPECS_FOLDER ?? path.resolve(repositoryRoot, "../shared/specs");

const prismBinary = path.join(repositoryRoot, "node_modules/.bin/prism");

/** Prism takes about 15 s to load the larger descriptions. */
const startupLimitMilliseconds = 90_000;

export interface SpecAvailability {
  specFile: string;
  /** Why the file's tests are skipped; undefined when the description is there. */
  skipReason: string | undefined;
}

/** Whether a description is present; when it is not, says so on the console, naming the folder. */
export function specAvailability(fileName: string): SpecAvailability {
  const specFile = path.join(specsFolder, fileName);
  let skipReason: string | undefined;
  if (!existsSync(specsFolder)) skipReason = `skipped: the folder ${specsFolder} is missing`;
  else if (!existsSync(specFile)) skipReason = `skipped: ${fileName} is missing from ${specsFolder}`;
  if (skipReason !== undefined) console.warn(`Contract tests ${skipReason} (the providers' OpenAPI descriptions).`);
  return { specFile, skipReason };
}

/** What Prism said about one request. */
export interface Exchange {
  method: string;
  url: string;
  requestBody: unknown;
  status: number;
  /** Prism's violations located in the request (from `sl-violations`); response ones are left out. */
  requestViolations: Violation[];
}

export interface Violation {
  location: string[];
  severity: string;
  code?: string;
  message: string;
}

export interface PrismServer {
  url: string;
  pid: number;
  exchanges: Exchange[];
  /**
   * Records every exchange; `rewrite` may change the request before it reaches Prism, and
   * `answer` the JSON of a successful answer before the adapter reads it.
   */
  fetch(rewrite?: (url: URL, headers: Headers) => void, answer?: (body: unknown) => unknown): typeof fetch;
  /** The last exchange; fails when there is none. */
  lastExchange(): Exchange;
  stop(): Promise<void>;
}

export async function startPrism(specFile: string): Promise<PrismServer> {
  if (!existsSync(prismBinary)) throw new Error(`Prism is not installed at ${prismBinary}; run npm ci`);
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(prismBinary, ["mock", "-h", "127.0.0.1", "-p", String(port), specFile], { stdio: ["ignore", "pipe", "pipe"] });
  if (child.pid === undefined) throw new Error(`Prism did not start (${prismBinary})`);
  const output: string[] = [];
  const keep = (chunk: Buffer) => {
    output.push(chunk.toString());
    if (output.length > 200) output.shift();
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));

  const server: PrismServer = {
    url,
    pid: child.pid,
    exchanges: [],
    fetch: (rewrite, answer) => recordingFetch(server.exchanges, rewrite, answer),
    lastExchange() {
      const last = server.exchanges.at(-1);
      if (last === undefined) throw new Error("no request reached Prism");
      return last;
    },
    stop: () => stopProcess(child, exited),
  };
  try {
    await waitUntilAnswering(url, child, output);
  } catch (error) {
    await server.stop();
    throw error;
  }
  return server;
}

async function waitUntilAnswering(url: string, child: ChildProcess, output: string[]): Promise<void> {
  const deadline = Date.now() + startupLimitMilliseconds;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`Prism exited (${child.exitCode ?? child.signalCode}) before answering:\n${output.join("")}`);
    }
    try {
      // Any answer, even 404 for this path, means the server is up.
      await fetch(`${url}/`, { signal: AbortSignal.timeout(2000) });
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
  throw new Error(`Prism did not answer on ${url} within ${startupLimitMilliseconds / 1000} s:\n${output.join("")}`);
}

/** Stops Prism by its PID: SIGTERM, then SIGKILL if it has not exited after 5 s. */
async function stopProcess(child: ChildProcess, exited: Promise<void>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  process.kill(child.pid, "SIGTERM");
  const timer = new Promise<"late">((resolve) => setTimeout(() => resolve("late"), 5000).unref());
  if ((await Promise.race([exited, timer])) === "late" && child.exitCode === null && child.signalCode === null) {
    process.kill(child.pid, "SIGKILL");
    await exited;
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      const port = typeof address === "object" && address !== null ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

function recordingFetch(exchanges: Exchange[], rewrite?: (url: URL, headers: Headers) => void, answer?: (body: unknown) => unknown): typeof fetch {
  return async (input, init) => {
    const request = new Request(input, init);
    const url = new URL(request.url);
    const headers = new Headers(request.headers);
    const bodyText = request.body === null ? "" : await request.text();
    rewrite?.(url, headers);
    const response = await fetch(url, {
      method: request.method,
      headers,
      body: bodyText === "" ? undefined : bodyText,
      signal: init?.signal ?? null,
    });
    const violations = [...violationsOf(response.headers), ...(await problemViolations(response))];
    exchanges.push({
      method: request.method,
      url: url.toString(),
      requestBody: parseJson(bodyText),
      status: response.status,
      requestViolations: violations.filter((violation) => violation.location[0] === "request"),
    });
    if (answer === undefined || !response.ok || !(response.headers.get("content-type") ?? "").includes("json")) return response;
    const reshaped = JSON.stringify(answer(await response.json()));
    return new Response(reshaped, { status: response.status, headers: { "content-type": "application/json" } });
  };
}

function violationsOf(headers: Headers): Violation[] {
  const header = headers.get("sl-violations");
  if (header === null) return [];
  try {
    const parsed: unknown = JSON.parse(header);
    return Array.isArray(parsed) ? (parsed as Violation[]) : [];
  } catch {
    return [{ location: ["request"], severity: "Error", message: `unreadable sl-violations header: ${header}` }];
  }
}

/**
 * Where the description defines no error answer, Prism sends its own problem document,
 * whose `validation` list locates each violation from "body", "query" or "header".
 */
async function problemViolations(response: Response): Promise<Violation[]> {
  if (!(response.headers.get("content-type") ?? "").includes("application/problem+json")) return [];
  const problem: unknown = await response.clone().json().catch(() => undefined);
  const validation = typeof problem === "object" && problem !== null && "validation" in problem ? problem.validation : undefined;
  if (!Array.isArray(validation)) return [];
  return (validation as Violation[]).map((violation) => ({ ...violation, location: ["request", ...violation.location] }));
}

function parseJson(text: string): unknown {
  if (text === "") return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** A readable account of what Prism refused, for assertion messages. */
export function describeViolations(exchange: Exchange): string {
  const lines = exchange.requestViolations.map((violation) => `  ${violation.severity} at ${violation.location.join(".")}: ${violation.message}`);
  return `${exchange.method} ${exchange.url} -> ${exchange.status}\n${lines.join("\n")}\nbody: ${JSON.stringify(exchange.requestBody)}`;
}

/**
 * Runs one adapter call through Prism and returns its result with the exchange. A call that
 * Prism refused fails with the violations it listed, not just the adapter's error.
 */
export async function generateThrough(
  prism: PrismServer,
  model: LanguageModel,
  request: GenerateRequest,
): Promise<{ result: GenerateResult; exchange: Exchange }> {
  const before = prism.exchanges.length;
  let result: GenerateResult;
  try {
    result = await model.generate(request);
  } catch (error) {
    const exchange = prism.exchanges.at(-1);
    const detail = exchange === undefined || prism.exchanges.length === before ? "no request reached Prism" : describeViolations(exchange);
    throw new Error(`${model.providerType} call failed: ${error instanceof Error ? error.message : String(error)}\n${detail}`, { cause: error });
  }
  expect(prism.exchanges.length, "one request per call").toBe(before + 1);
  const exchange = prism.lastExchange();
  expect(exchange.requestViolations, describeViolations(exchange)).toEqual([]);
  expect(exchange.status, describeViolations(exchange)).toBe(200);
  return { result, exchange };
}
