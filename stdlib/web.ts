import type { ProcedureCall, StandardProcedure } from "../src/runtime/procedure.js";
import { textArgument } from "./arguments.js";
import { display, factToJson } from "../src/runtime/display.js";
import { asNumber } from "../src/runtime/arithmetic.js";
import { jsonToFact } from "../src/runtime/json-to-fact.js";
import { Fact, number, text, type Value } from "../src/runtime/values.js";
import { type SecretHeader, type WebRequest, WebRequestFailed, type WebResponse } from "../src/runtime/web-request.js";

/** Seconds a request may take when the block gives no `the timeout is …`. */
export const defaultTimeoutSeconds = 30;
const methods = new Set(["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"]);
const requestLines = ["method", "body", "header", "timeout", "credential", "failure"];

/** `send a request to {url}` and `get the url {url}`: the response, a record of status, body and headers. */
export const webProcedures: StandardProcedure[] = [
  {
    pattern: "send a request to {url}",
    resultName: "response",
    keepsTextParts: ["url"],
    blockLines: requestLines,
    description:
      'Sends a web request (GET unless `the method is "POST"` …): the body is sent as JSON when it is a record or a list; `the header "X" is …`, `the timeout is 30` (seconds), `the credential is "name"` (a named secret, sent as a Bearer token). The response has status, body (parsed when JSON) and headers; a status outside 200–299 stops the run unless `the failure is allowed`. Only hosts given with --allow-net.',
    run: (call) => sendRequest(call, undefined),
  },
  {
    pattern: "get the url {url}",
    resultName: "response",
    keepsTextParts: ["url"],
    blockLines: requestLines.filter((line) => line !== "method" && line !== "body"),
    description: "Gets a web page or API answer (a GET request; block lines as for `send a request to`): the response with status, body (parsed when JSON) and headers.",
    run: (call) => sendRequest(call, "GET"),
  },
];

async function sendRequest(call: ProcedureCall, fixedMethod: string | undefined): Promise<Fact> {
  const url = addressOf(call);
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    call.fail(`"${url}" is not a web address.`, 'fix: write the whole address, as in "https://api.example.com/orders".');
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") call.fail(`"${url}" is not an http or https address.`, 'fix: write an address that starts with "https://" or "http://".');
  const method = fixedMethod ?? methodOf(call);
  const request: WebRequest = { url: parsed.href, method, headers: [], secretHeaders: [], timeoutMilliseconds: timeoutOf(call) * 1000 };
  const body = call.block.get("body");
  if (body !== undefined) {
    if (method === "GET" || method === "HEAD") call.fail(`A ${method} request has no body, but this one has \`the body\`.`, 'fix: add `the method is "POST"` (or PUT, PATCH), or remove the body.');
    request.body = bodyOf(body);
  }
  const headers = call.block.get("header");
  if (headers !== undefined && headers.value.kind !== "nothing") call.fail("`the header` needs the header's name in quotes.", 'fix: write `the header "X-Api-Key" is …`, one line per header.');
  for (const [name, fact] of headers?.attributes ?? []) {
    if (!/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/.test(name)) call.fail(`"${name}" cannot be the name of a web request header.`, "fix: use letters, digits and dashes, as in `the header \"X-Api-Key\" is …`.");
    if (fact.value.kind === "secret") request.secretHeaders.push({ header: name, secret: fact.value.name, prefix: "" });
    else request.headers.push([name, headerValue(call, name, fact.value)]);
  }
  const credential = call.block.get("credential");
  if (credential !== undefined) {
    const secret: SecretHeader = { header: "authorization", secret: credentialName(call, credential.value), prefix: "Bearer " };
    // A header line of its own that uses a credential says how it is sent: no Bearer header besides.
    if (!request.secretHeaders.some((header) => header.secret === secret.secret)) request.secretHeaders.push(secret);
  }
  for (const { secret } of request.secretHeaders) {
    let known = true;
    try {
      known = call.context.hasSecret === undefined || (await call.context.hasSecret(secret));
    } catch (problem) {
      if (problem instanceof WebRequestFailed) call.fail(problem.message, problem.fix);
      throw problem;
    }
    if (!known) call.fail(`This agent has no secret named "${secret}".`, `fix: add it with \`prose secret add "${secret}" --stdin\` (or --env VAR, --file F), or check the name with \`prose secret list\`.`);
  }
  const send = call.context.request;
  if (send === undefined) call.fail(`This run may not send web requests, so it cannot reach ${parsed.host}.`, `fix: run it with --allow-net ${parsed.host}.`);
  let response: WebResponse;
  try {
    response = await send(request, call.context.signal);
  } catch (problem) {
    if (problem instanceof WebRequestFailed) call.fail(problem.message, problem.fix);
    throw problem;
  }
  if ((response.status < 200 || response.status > 299) && !failureAllowed(call)) {
    call.fail(`The request to ${url} failed: the server answered ${response.status}${statusWords(response.status)}.`, "fix: check the address and what the server expects; add `the failure is allowed` to the block to get the response instead.");
  }
  return responseFact(response);
}

/**
 * The address as written. A value put into it with `{…}` after the host — in the path or the
 * query — is percent-encoded as one piece (`{the email}` with `a+b@x.y` stays that email, a
 * space or `&` in a name stays part of it); a value before that (`{the base url}/orders`) is
 * used as it is.
 */
function addressOf(call: ProcedureCall): string {
  const parts = call.textParts?.get("url");
  if (parts === undefined) return textArgument(call, "url").trim();
  let address = "";
  for (const part of parts) {
    if (typeof part === "string") address += part;
    else if (part.value.kind === "list" || part.hasAttributes()) call.fail("A web address can hold a value with `{…}`, but not a list or a record.", "fix: put one value in the address, such as `{the order's id}`.");
    else address += /^\s*[a-z][a-z0-9+.-]*:\/\/[^/?#]*[/?#]/i.test(address) ? encodeURIComponent(display(part.value)) : display(part.value);
  }
  return address.trim();
}

function methodOf(call: ProcedureCall): string {
  const fact = call.block.get("method");
  if (fact === undefined) return "GET";
  const written = display(fact.value).trim().toUpperCase();
  if (!methods.has(written)) call.fail(`"${display(fact.value)}" is not a web request method.`, 'fix: write `the method is "POST"` (or GET, PUT, PATCH, DELETE, HEAD, OPTIONS).');
  return written;
}

function timeoutOf(call: ProcedureCall): number {
  const fact = call.block.get("timeout");
  if (fact === undefined) return defaultTimeoutSeconds;
  const found = asNumber(fact.value);
  const seconds = found?.value.toNumber();
  if (seconds === undefined || !Number.isFinite(seconds) || seconds <= 0 || seconds > 3600) call.fail(`\`the timeout\` must be a number of seconds from more than 0 up to 3600, but it is "${display(fact.value)}".`, "fix: write it as `the timeout is 30`.");
  return seconds;
}

function bodyOf(fact: Fact): { text: string; contentType: string } {
  if (fact.hasAttributes() || fact.value.kind === "list") return { text: JSON.stringify(factToJson(fact)), contentType: "application/json" };
  return { text: display(fact.value), contentType: "text/plain; charset=utf-8" };
}

function headerValue(call: ProcedureCall, name: string, value: Value): string {
  const shown = display(value);
  if (/[\r\n\0]/.test(shown)) call.fail(`The header "${name}" holds a line break, which a header cannot.`, "fix: give the header a value on one line.");
  return shown;
}

function credentialName(call: ProcedureCall, value: Value): string {
  if (value.kind === "secret") return value.name;
  if (value.kind === "text" && value.text.trim() !== "") return value.text.trim().replace(/\s+/g, " ").toLowerCase();
  call.fail("`the credential` must name one of the agent's secrets, as in `the credential is \"crm token\"`.", "fix: add the secret with `prose secret add NAME --stdin`, and write its name here in quotes.");
}

function failureAllowed(call: ProcedureCall): boolean {
  const fact = call.block.get("failure");
  return fact !== undefined && fact.value.kind === "boolean" && fact.value.value;
}

function statusWords(status: number): string {
  const words: Record<number, string> = { 400: "bad request", 401: "not authorized", 403: "forbidden", 404: "not found", 405: "method not allowed", 408: "request timeout", 409: "conflict", 422: "unprocessable", 429: "too many requests", 500: "server error", 502: "bad gateway", 503: "service unavailable", 504: "gateway timeout" };
  const word = words[status];
  return word === undefined ? "" : ` (${word})`;
}

/** The response as a record: status, body (parsed when it is JSON), headers (lower-case names). */
export function responseFact(response: WebResponse): Fact {
  const fact = new Fact();
  fact.setAttribute("status", new Fact(number(response.status)));
  fact.setAttribute("body", bodyFact(response));
  const headers = new Fact();
  for (const [name, value] of Object.entries(response.headers)) headers.setAttribute(name, new Fact(text(value)));
  fact.setAttribute("headers", headers);
  return fact;
}

function bodyFact(response: WebResponse): Fact {
  const type = response.headers["content-type"]?.toLowerCase() ?? "";
  if (/[/+]json\b/.test(type)) {
    try {
      return jsonToFact(JSON.parse(response.body));
    } catch {
      // Not JSON after all: the body is its text.
    }
  }
  return new Fact(text(response.body));
}
