import { afterEach, describe, expect, it } from "vitest";
import { MemoryJournal } from "../../src/runtime/journal.js";
import type { Answer, Question } from "../../src/runtime/questions.js";
import { openAiErrors, startOpenAiServer } from "../support/openai-server.js";
import type { ScriptedServer } from "../support/scripted-server.js";
import { run } from "../support/run-script.js";
import { answerByPrompt, promptOf, runJournaled } from "../support/journaled-run.js";

const servers: ScriptedServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function openAi(): Promise<{ server: ScriptedServer; environment: Record<string, string> }> {
  const server = await startOpenAiServer();
  servers.push(server);
  return { server, environment: { OPENAI_API_KEY: "sk-test", OPENAI_BASE_URL: `${server.url}/v1` } };
}

const fiveDocuments = `the documents are "d1", "d2", "d3", "d4", "d5"
process each document in the documents in parallel as follows
    ask the model "summarize {the document}"
    say "{the document}: {the answer}"
    if the document is "d3"
        say "reviewed by {the reviewer}"
say "all done"
`;

describe("parallel loops", () => {
  it("run iterations at once, up to the limit, and show each one's lines together in the items' order", async () => {
    const { server, environment } = await openAi();
    const delays: Record<string, number> = { a: 150, b: 120, c: 90, d: 60, e: 30, f: 10 };
    const arrivals: Array<{ item: string; at: number }> = [];
    answerByPrompt(
      server,
      (prompt) => {
        arrivals.push({ item: prompt.slice(-1), at: Date.now() });
        return `about ${prompt.slice(-1)}`;
      },
      (prompt) => delays[prompt.slice(-1)],
    );
    const source = `the items are "a", "b", "c", "d", "e", "f"
process each item in the items in parallel as follows
    say "start {the item}"
    ask the model "describe {the item}"
    say "{the item}: {the answer}"
say "after"
`;
    const result = await runJournaled(source, { environment, concurrency: 3 });
    expect(result.status).toBe("done");
    expect(result.output).toEqual([..."abcdef"].flatMap((item) => [`start ${item}`, `${item}: about ${item}`]).concat("after"));
    // Each request is in flight from its arrival for its delay: never more than 3 at once, and more than 1.
    const intervals = arrivals.map(({ item, at }) => ({ start: at, end: at + delays[item] }));
    const overlap = Math.max(...intervals.map((one) => intervals.filter((other) => other.start <= one.start && one.start < other.end).length));
    expect(overlap).toBeLessThanOrEqual(3);
    expect(overlap).toBeGreaterThan(1);
    // The later items, answered sooner, were sent before the first ones came back.
    expect(arrivals.slice(0, 3).map(({ item }) => item)).toEqual(["a", "b", "c"]);
  });

  it("a question in iteration 3 of 5: the others finish; once answered, only iteration 3 goes on and no model call is repeated", async () => {
    const { server, environment } = await openAi();
    answerByPrompt(server, (prompt) => `summary of ${prompt.replace("summarize ", "")}`);
    const journal = new MemoryJournal();
    const first = await runJournaled(fiveDocuments, { journal, environment });
    expect(first.status).toBe("waiting");
    expect(first.questions).toEqual([expect.objectContaining({ kind: "value", text: "What is the reviewer?", at: "/scripts/main.prose:6:31" })]);
    expect(first.output).toEqual(["d1: summary of d1", "d2: summary of d2", "d3: summary of d3", "d4: summary of d4", "d5: summary of d5"]);
    expect(server.requests.map(promptOf).sort()).toEqual(["summarize d1", "summarize d2", "summarize d3", "summarize d4", "summarize d5"]);

    const second = await runJournaled(fiveDocuments, { journal: new MemoryJournal(journal.records), environment, answers: { [first.questions[0].id]: { value: "Ann" } } });
    expect(second.status).toBe("done");
    expect(second.output).toEqual(["d1: summary of d1", "d2: summary of d2", "d3: summary of d3", "reviewed by Ann", "d4: summary of d4", "d5: summary of d5", "all done"]);
    expect(second.usage.modelCalls).toBe(0);
    expect(server.requests).toHaveLength(5);
  });

  it("give a question inside an iteration the same id however many run at once", async () => {
    const { server, environment } = await openAi();
    answerByPrompt(server, () => "ok");
    const one = await runJournaled(fiveDocuments, { environment, concurrency: 1 });
    const five = await runJournaled(fiveDocuments, { environment, concurrency: 5 });
    expect(five.questions.map((question) => question.id)).toEqual(one.questions.map((question) => question.id));
  });

  it("a failing iteration raises a failure question without stopping the others; retry runs it again", async () => {
    const { server, environment } = await openAi();
    let failures = 2;
    answerByPrompt(server, (prompt) => (prompt === "summarize d3" && failures-- > 0 ? openAiErrors.badRequest() : `summary of ${prompt.replace("summarize ", "")}`));
    const journal = new MemoryJournal();
    const source = fiveDocuments.replace("    if the document is \"d3\"\n        say \"reviewed by {the reviewer}\"\n", "");
    const first = await runJournaled(source, { journal, environment });
    expect(first.status).toBe("waiting");
    expect(first.output).toEqual(["d1: summary of d1", "d2: summary of d2", "d4: summary of d4", "d5: summary of d5"]);
    expect(first.questions).toHaveLength(1);
    const [failure] = first.questions;
    expect(failure).toMatchObject({ kind: "failure", at: "/scripts/main.prose:3:5", choices: ["retry", "skip"] });
    expect(failure.text).toMatch(/^Item 3 of the documents \(d3\) failed: .+ Answer retry to run it again, or skip to go on without it\.$/);

    // The resumed run calls the model again for item 3 only; it fails once more, and the retry answer runs it again.
    const before = server.requests.length;
    const second = await runJournaled(source, { journal: new MemoryJournal(journal.records), environment, answers: { [failure.id]: { retry: true } } });
    expect(second).toMatchObject({ status: "done", output: ["d1: summary of d1", "d2: summary of d2", "d3: summary of d3", "d4: summary of d4", "d5: summary of d5", "all done"] });
    expect(server.requests.slice(before).map(promptOf)).toEqual(["summarize d3", "summarize d3"]);
  });

  it("skip leaves a failed iteration out", async () => {
    const { server, environment } = await openAi();
    answerByPrompt(server, (prompt) => (prompt === "summarize d2" ? openAiErrors.badRequest() : "fine"));
    const source = 'the documents are "d1", "d2"\nprocess each document in the documents in parallel\n    say "start {the document}"\n    ask the model "summarize {the document}"\n    say "{the document}: {the answer}"\n';
    const first = await runJournaled(source, { environment });
    const second = await runJournaled(source, { environment, answers: { [first.questions[0].id]: { skip: true } } });
    expect(second).toMatchObject({ status: "done", output: ["start d1", "d1: fine", "start d2"] });
  });

  it("`fail` in an iteration starts no new one and ends the run failed once the running ones are done", async () => {
    const result = await run('the items are 1, 2, 3, 4\nprocess each item in the items in parallel\n    say "item {the item}"\n    if the item is 2\n        fail "two is wrong"\n');
    expect(result.status).toBe("failed");
    expect(result.error?.message).toBe("two is wrong");
    expect(result.output.slice(0, 2)).toEqual(["item 1", "item 2"]);
  });

  it("keep their own `the above` and facts, and see the loop's outer facts", async () => {
    const result = await run('the prefix is "#"\nthe items are 1, 2 and 3\nthe total is 5\nprocess each item in the items in parallel\n    the doubled is the item * 2\n    say "{the prefix}{the above}"\nsay the above\n');
    expect(result.output).toEqual(["#2", "#4", "#6", "5"]);
  });

  it("ask a person one question at a time", async () => {
    let asking = 0;
    let most = 0;
    const askPerson = async (question: Question): Promise<Answer> => {
      asking += 1;
      most = Math.max(most, asking);
      await new Promise((resolve) => setTimeout(resolve, 5));
      asking -= 1;
      return { value: `for ${question.text.match(/item is (\d)/)?.[1] ?? "?"}` };
    };
    const named = await run('the items are "1", "2", "3"\nprocess each item in the items in parallel\n    the check is the item\n    say the reviewer\n', { askPerson });
    expect(named.status).toBe("done");
    expect(most).toBe(1);
  });
});
