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

const script = `ask the model "first"
say the answer
get the vendor
ask the model "about {the vendor}"
say the answer
the due date is today + 30
get the buyer
say "{the buyer} pays by {the due date}"
`;

describe("looking ahead, then resuming from the journal", () => {
  it("makes no model call after the first question, and none twice: the resumed run replays what was done", async () => {
    const { server, environment } = await openAi();
    const journal = new MemoryJournal();
    const first = await runJournaled(script, { journal, environment, now: new Date("2026-11-23T10:00:00Z") });
    expect(first).toMatchObject({ status: "waiting", output: ["answer to first"], usage: { modelCalls: 1 } });
    expect(first.questions.map((question) => question.subject)).toEqual(["the vendor", "the buyer"]);
    expect(server.requests.map(promptOf)).toEqual(["first"]);

    // A day later: the due date looked at before the question was journaled, so it stays.
    const second = await runJournaled(script, { journal: new MemoryJournal(journal.records), environment, now: new Date("2026-11-24T10:00:00Z"), answers: { "the vendor": { value: "Acme" }, "the buyer": { value: "Bo" } } });
    expect(second).toMatchObject({ status: "done", output: ["answer to first", "answer to about Acme", "Bo pays by 2026-12-23"] });
    expect(second.warnings).toEqual([]);
    expect(server.requests.map(promptOf)).toEqual(["first", "about Acme"]);
  });

  it("gives the questions of one stop the ids the resumed run raises", async () => {
    const { environment } = await openAi();
    const journal = new MemoryJournal();
    const first = await runJournaled(script, { journal, environment });
    const [vendor, buyer] = first.questions;
    const second = await runJournaled(script, { journal: new MemoryJournal(journal.records), environment, answers: { [vendor.id]: { value: "Acme" }, [buyer.id]: { value: "Bo" } } });
    expect(second.status).toBe("done");
  });
});
