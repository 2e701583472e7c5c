// The runs: a table of them, and one run shown in full, live through its Server-Sent Events.
import { cancelRun, runEvents, showRun } from "./api.js";
import { clear, h, shown } from "./dom.js";


export function drawRuns(body, table, empty, runs, open) {
  empty.hidden = runs.length > 0;
  table.hidden = runs.length === 0;
  // Drawn again only when a run changed, so that a focused row keeps its focus.
  const signature = JSON.stringify(runs.map((run) => [run.runId, run.script, run.status, run.updatedAt]));
  if (body.dataset.signature === signature) return;
  body.dataset.signature = signature;
  clear(body);
  for (const run of runs) {
    body.append(
      h(
        "tr",
        { "data-run-id": run.runId },
        h("td", {}, h("button", { type: "button", class: "link", "aria-label": `Show run ${run.runId}` }, run.runId)),
        h("td", {}, run.script ?? ""),
        h("td", {}, h("span", { class: `badge status-${safeClass(run.status)}` }, run.status ?? "")),
        h("td", {}, when(run.updatedAt)),
      ),
    );
    body.lastElementChild.querySelector("button").addEventListener("click", () => open(run.runId));
  }
}

/** One run in full. `opened(runId)` shows it; events keep it current until it ends. */
export class RunDetail {
  constructor(elements, { report, changed }) {
    this.elements = elements;
    this.report = report;
    this.changed = changed;
    this.runId = null;
    this.events = null;
    this.pending = null;
    this.shownStatus = null;
    elements.close.addEventListener("click", () => this.close());
    elements.cancel.addEventListener("click", () => this.cancel());
  }

  async open(runId, { focus = true } = {}) {
    if (this.runId !== runId) {
      this.stopListening();
      this.runId = runId;
      this.shownStatus = null;
      clear(this.elements.output);
      clear(this.elements.facts);
      this.elements.status.textContent = "";
      this.elements.status.className = "badge";
      this.elements.live.textContent = "(loading)";
      this.elements.error.hidden = true;
    }
    this.elements.root.hidden = false;
    this.elements.heading.textContent = `Run ${runId}`;
    if (focus) this.elements.heading.focus();
    await this.refresh();
  }

  /**
   * Shows a run just answered (or started): the server resumes it a moment after taking the
   * answer, so a run still shown waiting is looked at again shortly, until it runs (and streams).
   */
  async follow(runId) {
    await this.open(runId, { focus: false });
    for (let tries = 0; tries < 40 && this.runId === runId && this.shownStatus === "waiting" && !this.listening; tries += 1) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      if (this.runId === runId && !this.listening) await this.refresh();
    }
  }

  /** Whether a shown run waits on its events (the page's periodic refresh leaves it alone then). */
  get listening() {
    return this.events !== null;
  }

  close() {
    this.stopListening();
    this.runId = null;
    this.elements.root.hidden = true;
  }

  async cancel() {
    if (this.runId === null) return;
    this.elements.cancel.disabled = true;
    try {
      await cancelRun(this.runId);
      await this.refresh();
      this.changed();
    } catch (error) {
      this.report(error);
    } finally {
      this.elements.cancel.disabled = false;
    }
  }

  async refresh() {
    const runId = this.runId;
    if (runId === null) return;
    let run;
    try {
      run = await showRun(runId);
    } catch (error) {
      this.report(error);
      return;
    }
    if (this.runId !== runId) return;
    this.shownStatus = run.status;
    this.draw(run);
    // The server ends a run's stream when it stops running (done, failed, waiting, interrupted).
    if (run.status === "running") this.listen(runId);
    else this.stopListening();
  }

  draw(run) {
    const { status, output, facts, error, cancel, live, questions } = this.elements;
    status.textContent = run.status ?? "";
    status.className = `badge status-${safeClass(run.status)}`;
    const lines = Array.isArray(run.output) ? run.output.map(String) : [];
    output.textContent = lines.join("\n");
    clear(facts);
    const known = Object.entries(run.facts ?? {});
    for (const [name, value] of known) facts.append(h("dt", {}, name), h("dd", {}, shown(value)));
    if (known.length === 0) facts.append(h("dd", { class: "muted" }, "None yet."));
    const waitingOn = Array.isArray(run.questions) ? run.questions.length : 0;
    questions.hidden = !(run.status === "waiting" && waitingOn > 0);
    questions.textContent = waitingOn === 1 ? "It waits for an answer to 1 question: answer it in the inbox above." : `It waits for answers to ${waitingOn} questions: answer them in the inbox above.`;
    const problem = run.error;
    error.hidden = !problem;
    error.textContent = problem ? [problem.message, problem.at ? `(at ${problem.at})` : "", problem.fix ?? ""].filter(Boolean).join(" ") : "";
    // The server cancels a running run (as Ctrl-C); a waiting one simply waits for its answers.
    cancel.hidden = run.status !== "running";
    live.textContent = run.status === "running" ? "(live)" : run.stopped ? `(stopped: ${run.stopped})` : "";
  }

  listen(runId) {
    if (this.events !== null) return;
    const events = runEvents(runId);
    this.events = events;
    // Any event (an output line, a question, a status change) is followed by the run as it is
    // now: the run's JSON is the one source of truth, so nothing drawn can drift from it.
    const update = () => this.soon();
    events.onmessage = update;
    for (const name of ["output", "warning", "question", "status"]) events.addEventListener(name, update);
    events.onerror = () => {
      // The stream ended (the run stopped running) or broke: what the run is now decides.
      if (this.events !== events) return;
      this.soon();
    };
  }

  soon() {
    if (this.pending !== null) return;
    this.pending = setTimeout(async () => {
      this.pending = null;
      await this.refresh();
      this.changed();
    }, 100);
  }

  stopListening() {
    if (this.events !== null) {
      this.events.close();
      this.events = null;
    }
  }
}

function when(iso) {
  if (typeof iso !== "string") return "";
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString();
}

function safeClass(status) {
  return typeof status === "string" && /^[a-z]+$/.test(status) ? status : "unknown";
}
