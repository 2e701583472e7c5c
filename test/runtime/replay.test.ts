import { describe, expect, it } from "vitest";
import { MemoryJournal } from "../../src/runtime/journal.js";
import { closeServersAfterEachTest, openAi as openAiEmulator } from "../support/procedure-emulators.js";
import type { ScriptedServer } from "../support/scripted-server.js";
import { answerByPrompt, promptOf, runJournaled } from "../support/journaled-run.js";

closeServersAfterEachTest();

/** An OpenAI emulator that answers each prompt with "answer to <prompt>". */
async function openAi(): Promise<{ server: ScriptedServer; environment: Record<string, string> }> {
  const emulator = await openAiEmulator();
  answerByPrompt(emulator.server, (prompt) => `answer to ${prompt}`);
  return emulator;
}

/** A resumed run: the same records, read back into a fresh journal. */
function reopened(journal: MemoryJournal): MemoryJournal {
  return new MemoryJournal(journal.records);
}

const twoCalls = `ask the model "first"
say the answer
ask the model "second"
say the answer
say the vendor
`;

describe("replaying a journal", () => {
  it("takes every model result from the journal: a question answered after model calls never repeats them", async () => {
    const { server, environment } = await openAi();
    const journal = new MemoryJournal();
    const first = await runJournaled(twoCalls, { journal, environment });
    expect(first).toMatchObject({ status: "waiting", output: ["answer to first", "answer to second"], usage: { modelCalls: 2 } });
    expect(server.requests).toHaveLength(2);

    const second = await runJournaled(twoCalls, { journal: reopened(journal), environment, answers: { [first.questions[0].id]: { value: "Acme" } } });
    expect(second).toMatchObject({ status: "done", output: ["answer to first", "answer to second", "Acme"], usage: { modelCalls: 0, inputTokens: 0 } });
    expect(second.warnings).toEqual([]);
    expect(server.requests).toHaveLength(2);
  });

  it("remembers answers: a later resume needs only the new ones", async () => {
    const { server, environment } = await openAi();
    const source = 'ask the model "x"\nsay the answer\nsay the vendor\nsay the buyer\n';
    const journal = new MemoryJournal();
    await runJournaled(source, { journal, environment });
    const resumed = reopened(journal);
    const second = await runJournaled(source, { journal: resumed, environment, answers: { "the vendor": { value: "Acme" } } });
    expect(second.questions.map((question) => question.text)).toEqual(["What is the buyer?"]);
    const third = await runJournaled(source, { journal: reopened(resumed), environment, answers: { "the buyer": { value: "Bob" } } });
    expect(third).toMatchObject({ status: "done", output: ["answer to x", "Acme", "Bob"] });
    expect(server.requests).toHaveLength(1);
  });

  it("does a step again, with a warning, when the script changed what it asks", async () => {
    const { server, environment } = await openAi();
    const journal = new MemoryJournal();
    await runJournaled(twoCalls, { journal, environment });
    const changed = twoCalls.replace('"second"', '"another"');
    const second = await runJournaled(changed, { journal: reopened(journal), environment, answers: { "the vendor": { value: "Acme" } } });
    expect(second.output).toEqual(["answer to first", "answer to another", "Acme"]);
    expect(server.requests.map(promptOf)).toEqual(["first", "second", "another"]);
    expect(second.warnings).toEqual(["The model call at main.prose:3:1 is not the one this run's journal holds (the script or its inputs changed): it is done again."]);
  });

  it("replays the clock and the files read, so a resumed run sees what the first one saw", async () => {
    const source = 'say now\nread the file "notes.txt"\nsay the file\'s text\nsay the vendor\n';
    const files = new Map([["/scripts/notes.txt", "version 1"]]);
    const journal = new MemoryJournal();
    const first = await runJournaled(source, { journal, files, now: new Date("2026-11-23T10:00:00Z") });
    files.set("/scripts/notes.txt", "version 2");
    const second = await runJournaled(source, { journal: reopened(journal), files, now: new Date("2026-11-24T18:30:00Z"), answers: { "the vendor": { value: "Acme" } } });
    expect(second.output).toEqual([...first.output, "Acme"]);
    expect(second.output[1]).toBe("version 1");
  });

  it("keeps no request and no key in the journal: only results", async () => {
    const { environment } = await openAi();
    const journal = new MemoryJournal();
    await runJournaled('ask the model "a secret-looking prompt"\n', { journal, environment });
    const text = JSON.stringify(journal.records);
    expect(text).toContain("answer to a secret-looking prompt");
    expect(text).not.toContain("sk-test");
    expect(text).not.toContain('"a secret-looking prompt"');
    expect(text).not.toContain("Answer the user's request");
  });
});
