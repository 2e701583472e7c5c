// The page's only way to the server: same-origin fetch with the session cookie. The token is
// never kept here: login() sends it once and the server answers with an HttpOnly cookie.

/** An API error, in English, with the fix the server gave (if any). */
export class ApiError extends Error {
  constructor(status, message, fix) {
    super(message);
    this.status = status;
    this.fix = fix;
  }
}

async function request(method, path, body) {
  const headers = { "X-Prose-Page": "1", Accept: "application/json" };
  const init = { method, headers, credentials: "same-origin", cache: "no-store" };
  if (body !== undefined) {
    headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(path, init);
  } catch {
    throw new ApiError(0, "The server could not be reached.", "Check that `prose serve` is still running, then reload the page.");
  }
  const text = await response.text();
  let parsed = null;
  if (text !== "") {
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = null;
    }
  }
  if (!response.ok) {
    const error = parsed !== null && typeof parsed === "object" ? (parsed.error ?? parsed) : {};
    const message = typeof error === "string" ? error : typeof error.message === "string" ? error.message : `The server answered ${response.status}.`;
    const fix = typeof error === "object" && typeof error.fix === "string" ? error.fix : null;
    throw new ApiError(response.status, message, fix);
  }
  return parsed;
}

/** Trades the token for the session cookie. */
export function login(token) {
  return request("POST", "/api/session", { token });
}

/** Who the session's token is: `{tokenId, name, agents}`; 401 without a session. */
export function whoami() {
  return request("GET", "/api/session");
}

export function logout() {
  return request("DELETE", "/api/session");
}

/** The open questions across runs, each with its run's id. */
export async function openQuestions() {
  const body = await request("GET", "/api/questions");
  const list = Array.isArray(body) ? body : Array.isArray(body?.questions) ? body.questions : [];
  return list.map((item) => {
    // Either the question's fields with runId beside them, or {runId, question: {...}}.
    const question = item.question && typeof item.question === "object" ? { ...item.question, ...item, question: undefined } : item;
    return question;
  });
}

export async function listRuns() {
  const body = await request("GET", "/api/runs");
  return Array.isArray(body) ? body : Array.isArray(body?.runs) ? body.runs : [];
}

export function showRun(runId) {
  return request("GET", `/api/runs/${encodeURIComponent(runId)}`);
}

/** `answer` is a value, `{skip: true}` or `{retry: true}`, as in `prose run --answers FILE`. */
export function answer(runId, questionId, answerValue) {
  return request("POST", `/api/runs/${encodeURIComponent(runId)}/answers`, { answers: { [questionId]: answerValue } });
}

export function cancelRun(runId) {
  return request("POST", `/api/runs/${encodeURIComponent(runId)}/cancel`, {});
}

export function startRun(fields) {
  return request("POST", "/api/runs", fields);
}

/** The run's events (Server-Sent Events); the cookie goes with it (same origin). */
export function runEvents(runId) {
  return new EventSource(`/api/runs/${encodeURIComponent(runId)}/events`);
}
