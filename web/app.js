// The page served by `prose serve`: log in, answer the questions waiting across runs, follow
// runs, start one. No framework; everything from the server is shown as text (dom.js).
import { ApiError, listRuns, login, logout, openQuestions, startRun, whoami } from "./api.js";
import { drawInbox } from "./inbox.js";
import { parseInputs } from "./inputs.js";
import { RunDetail, drawRuns } from "./runs.js";

const $ = (id) => document.getElementById(id);
const REFRESH_MILLISECONDS = 3000;

const statusLine = $("status");
const alertLine = $("alert");
let refreshTimer = null;

function say(text) {
  statusLine.textContent = text;
}

function report(error) {
  if (error instanceof ApiError && error.status === 401) {
    showLogin("Your session has ended: log in again.");
    return;
  }
  const message = error instanceof Error ? error.message : String(error);
  const fix = error instanceof ApiError && error.fix ? ` ${error.fix}` : "";
  alertLine.textContent = `${message}${fix}`;
  alertLine.hidden = false;
}

function clearAlert() {
  alertLine.hidden = true;
  alertLine.textContent = "";
}

const detail = new RunDetail(
  {
    root: $("run-detail"),
    heading: $("run-heading"),
    status: $("run-status"),
    live: $("run-live"),
    output: $("run-output"),
    facts: $("run-facts"),
    error: $("run-error"),
    questions: $("run-questions"),
    cancel: $("run-cancel"),
    close: $("run-close"),
  },
  { report, changed: () => refresh() },
);

const openRun = (runId) => {
  detail.open(runId).catch(report);
};

async function refresh() {
  try {
    const [questions, runs] = await Promise.all([openQuestions(), listRuns()]);
    drawInbox($("inbox-list"), $("inbox-empty"), questions, {
      onAnswered: (runId) => {
        say("Answer sent.");
        detail.follow(runId).catch(report);
        refresh();
      },
      report,
      showRun: openRun,
    });
    drawRuns($("runs-body"), $("runs-table"), $("runs-empty"), runs, openRun);
    // A shown run that is not streaming (waiting, or answered elsewhere) is looked at again.
    if (detail.runId !== null && !detail.listening) await detail.refresh();
    return true;
  } catch (error) {
    report(error);
    return false;
  }
}

function startRefreshing() {
  stopRefreshing();
  refreshTimer = setInterval(() => {
    if (!document.hidden) refresh();
  }, REFRESH_MILLISECONDS);
}

function stopRefreshing() {
  if (refreshTimer !== null) clearInterval(refreshTimer);
  refreshTimer = null;
}

function showLogin(message) {
  stopRefreshing();
  detail.close();
  $("app").hidden = true;
  $("logout").hidden = true;
  $("whoami").hidden = true;
  $("login").hidden = false;
  say(message ?? "");
  $("token").focus();
}

function showApp(who) {
  const agents = Array.isArray(who?.agents) && who.agents.length > 0 ? `agents ${who.agents.join(", ")}` : "every agent";
  $("whoami").textContent = who ? `Token ${who.name || who.tokenId} (${agents})` : "";
  $("whoami").hidden = !who;
  $("login").hidden = true;
  $("app").hidden = false;
  $("logout").hidden = false;
  startRefreshing();
}

$("login-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  clearAlert();
  const field = $("token");
  const token = field.value.trim();
  // The token leaves the page with this one request: the field is emptied at once.
  field.value = "";
  let who;
  try {
    await login(token);
    who = await whoami();
  } catch (error) {
    report(error);
    field.focus();
    return;
  }
  showApp(who);
  say("Logged in.");
  await refresh();
  $("inbox-heading").focus();
});

$("logout").addEventListener("click", async () => {
  try {
    await logout();
  } catch (error) {
    report(error);
  }
  showLogin("Logged out.");
});

$("start-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  clearAlert();
  const parsed = parseInputs($("start-inputs").value);
  if (parsed.problem !== undefined) {
    report(new Error(parsed.problem));
    $("start-inputs").focus();
    return;
  }
  const fields = { script: $("start-script").value.trim(), inputs: parsed.inputs };
  const agent = $("start-agent").value.trim();
  const project = $("start-project").value.trim();
  if (agent !== "") fields.agent = agent;
  if (project !== "") fields.project = project;
  const button = event.submitter ?? event.target.querySelector("button[type=submit]");
  button.disabled = true;
  try {
    const run = await startRun(fields);
    say(`Run ${run.runId} started.`);
    await refresh();
    await detail.open(run.runId);
  } catch (error) {
    report(error);
  } finally {
    button.disabled = false;
  }
});

// On load: the session cookie (if any) decides which part shows.
(async () => {
  let who;
  try {
    who = await whoami();
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) {
      showLogin();
      return;
    }
    showApp();
    report(error);
    return;
  }
  showApp(who);
  await refresh();
})();
