import { describe, expect, it } from "vitest";
import { openAiCompletion } from "../../support/openai-server.js";
import { openAiPerTest } from "../../support/procedure-emulators.js";
import { runWithModels } from "../../support/run-with-model.js";

/** The documents `get the files in the folder` gives are documents like any other: an LLM procedure is sent each one's content. */
describe("listed documents given to an LLM procedure", () => {
  const emulator = openAiPerTest();
  const environment = emulator.environment;

  it("sends each file's text in its own request, in name order", async () => {
    emulator.server().enqueue(openAiCompletion("Acme, 120 euros."));
    emulator.server().enqueue(openAiCompletion("Globex, 45 euros."));
    const script = 'get the files in the folder "inbox"\n    the pattern is "*.txt"\nprocess each file in the files\n    summarize the file\n    say "{the file\'s file name}: {the summary}"\n';
    const files = { "inbox/invoice-2.txt": "Invoice from ACME-LTD-4471, total 120 EUR", "inbox/invoice-10.txt": "Invoice from GLOBEX-9930, total 45 EUR", "inbox/photo.png": new Uint8Array([137, 80, 78, 71]) };
    const result = await runWithModels(script, environment(), { files });
    expect(result.error).toBeNull();
    expect(result.output).toEqual(["invoice-2.txt: Acme, 120 euros.", "invoice-10.txt: Globex, 45 euros."]);
    expect(emulator.server().requests).toHaveLength(2);
    const sent = emulator.server().requests.map((request) => JSON.stringify((request.body as Record<string, unknown>).messages));
    expect(sent[0]).toContain("ACME-LTD-4471");
    expect(sent[0]).not.toContain("GLOBEX-9930");
    expect(sent[1]).toContain("GLOBEX-9930");
  });
});
