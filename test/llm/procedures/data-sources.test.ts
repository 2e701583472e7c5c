import { describe, expect, it } from "vitest";
import { openAiCompletion } from "../../support/openai-server.js";
import { openAiPerTest } from "../../support/procedure-emulators.js";
import { runWithModels } from "../../support/run-with-model.js";

/** A .json or .csv file opens as data; given to an LLM procedure, it is sent as its JSON text, in one request. */
describe("data given to an LLM procedure", () => {
  const emulator = openAiPerTest();
  const environment = emulator.environment;

  it("sends a CSV table as one JSON source and gives one record", async () => {
    emulator.server().enqueue(openAiCompletion(JSON.stringify({ "busiest person": "Ann" })));
    const script = 'read the file "timesheet.csv"\nextract data from the file\n    the first field is "busiest person"\nsay the data\'s busiest person\n';
    const result = await runWithModels(script, environment(), { files: { "timesheet.csv": "person,hours\nAnn,6.5\nBob,4\n" } });
    expect(result.error).toBeNull();
    expect(result.output).toEqual(["Ann"]);
    expect(emulator.server().requests).toHaveLength(1);
    const sent = JSON.stringify((emulator.server().requests[0].body as Record<string, unknown>).messages);
    expect(sent).toContain(JSON.stringify(JSON.stringify([{ person: "Ann", hours: 6.5 }, { person: "Bob", hours: 4 }], null, 2)).slice(1, -1));
  });

  it("sends a JSON record as its JSON text", async () => {
    emulator.server().enqueue(openAiCompletion("A customer in Lyon."));
    const result = await runWithModels('read the file "customer.json"\nsummarize the file\nsay the summary\n', environment(), { files: { "customer.json": '{"Name": "Ann", "City": "Lyon"}' } });
    expect(result.error).toBeNull();
    const sent = JSON.stringify((emulator.server().requests[0].body as Record<string, unknown>).messages);
    expect(sent).toContain(JSON.stringify(JSON.stringify({ name: "Ann", city: "Lyon" }, null, 2)).slice(1, -1));
  });
});
