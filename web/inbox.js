// The inbox: every open question across runs, each answerable where it is shown.
import { answer } from "./api.js";
import { clear, h, uniqueId } from "./dom.js";

/**
 * Shows `questions` in `list`. `onAnswered(runId)` runs after the server took an answer;
 * `report(error)` shows a failure. Questions already shown keep their element (and focus) when
 * the list is drawn again with the same ids.
 */
export function drawInbox(list, empty, questions, { onAnswered, report, showRun }) {
  empty.hidden = questions.length > 0;
  const keep = new Map();
  for (const item of list.children) keep.set(item.dataset.key, item);
  const items = questions.map((question) => {
    const key = `${question.runId}\u0000${question.questionId}\u0000${question.problem ?? ""}`;
    return keep.get(key) ?? questionCard(question, key, { onAnswered, report, showRun });
  });
  // Leave the list alone when nothing changed, so that a half-typed answer is not lost.
  if (items.length === list.children.length && items.every((item, index) => list.children[index] === item)) return;
  clear(list);
  list.append(...items);
}

function questionCard(question, key, { onAnswered, report, showRun }) {
  const headingId = uniqueId("question");
  const card = h("li", { class: "card question", "aria-labelledby": headingId, "data-question-id": question.questionId, "data-run-id": question.runId });
  card.dataset.key = key;
  const runLabel = [question.script, question.runId].filter((part) => typeof part === "string" && part !== "").join(" · ");
  card.append(
    h("p", { class: "muted small" }, "Run ", h("button", { type: "button", class: "link", onclick: () => showRun(question.runId) }, runLabel || "(unknown run)"), question.at ? ` at ${question.at}` : ""),
    h("h3", { id: headingId, class: "question-text" }, question.text),
  );
  if (typeof question.problem === "string" && question.problem !== "") card.append(h("p", { class: "alert" }, question.problem));

  const send = async (value, controls) => {
    for (const control of controls) control.disabled = true;
    try {
      await answer(question.runId, question.questionId, value);
      card.classList.add("answered");
      card.append(h("p", { class: "muted", role: "status" }, "Answered: the run goes on."));
      onAnswered(question.runId);
    } catch (error) {
      for (const control of controls) control.disabled = false;
      report(error);
    }
  };

  if (question.kind === "failure") {
    const retry = h("button", { type: "button" }, "Retry");
    const skip = h("button", { type: "button" }, "Skip");
    const controls = [retry, skip];
    retry.addEventListener("click", () => send({ retry: true }, controls));
    skip.addEventListener("click", () => send({ skip: true }, controls));
    card.append(h("div", { class: "row", role: "group", "aria-label": "What to do about the failure" }, retry, skip));
  } else if (question.kind === "choice" && Array.isArray(question.choices) && question.choices.length > 0) {
    const buttons = question.choices.map((choice) => h("button", { type: "button", class: "choice" }, String(choice)));
    buttons.forEach((button, index) => button.addEventListener("click", () => send(String(question.choices[index]), buttons)));
    card.append(h("div", { class: "row", role: "group", "aria-labelledby": headingId }, buttons));
  } else {
    const inputId = uniqueId("answer");
    const numeric = question.expects === "number";
    const input = h("input", { id: inputId, name: "answer", type: numeric ? "number" : "text", step: numeric ? "any" : undefined, required: true, autocomplete: "off" });
    const submit = h("button", { type: "submit" }, "Answer");
    const hint = typeof question.expects === "string" && question.expects !== "" ? ` (${question.expects})` : "";
    const form = h("form", { class: "answer-form" }, h("label", { for: inputId }, `Your answer${hint}`), input, submit);
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      send(input.value, [input, submit]);
    });
    card.append(form);
  }
  return card;
}
