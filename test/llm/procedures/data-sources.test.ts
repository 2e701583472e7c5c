import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openAiCompletion, startOpenAiServer } from "../../support/openai-server.js";
import type { ScriptedServer } from "../../support/scripted-server.js";
import { runWithModels } from "../../support/run-with-model.js";

/** A .json or .csv file opens as data; given to an LLM procedure, it is sent as its JSON text, in one request. */
describe("data given to an LLM procedure", () => {
  let server: ScriptedServer;
  beforeEach(async () => {
    server = await startOpenAiServer();
  });
  afterEach(async () => {
    await server.close();
  });
  const environment = () => ({ OPENAI_API_KEY: "sk-test-key", OPENAI_BASE_URL: `${server.url}/v1` });

  it("sends a CSV table as one JSON source and gives one record", async () => {
    server.enqueue(openAiCompletion(JSON.stringify({ "busiest person": "Ann" })));
    const script = 'read the file "timesheet.csv"\nextract data from the file\n    the first field is "busiest person"\nsay the data\'s busiest person\n';
    const result = await runWithModels(script, environment(), { files: { "timesheet.csv": "person,hours\nAnn,6.5\nBob,4\n" } });
    expect(result.error).toBeNull();
    expect(result.output).toEqual(["Ann"]);
    expect(server.requests).toHaveLength(1);
    const sent = JSON.stringify((server.requests[0].body as Record<string, unknown>).messages);
    expect(sent).toContain(JSON.stringify(JSON.stringify([{ person: "Ann", hours: 6.5 }, { person: "Bob", hours: 4 }], null, 2)).slice(1, -1));
  });

  it("sends a JSON record as its JSON text", async () => {
    server.enqueue(openAiCompletion("A customer in Lyon."));
    const result = await runWithModels('read the file "customer.json"\nsummarize the file\nsay the summary\n', environment(), { files: { "customer.json": '{"Name": "Ann", "City": "Lyon"}' } });
    expect(result.error).toBeNull();
    const sent = JSON.stringify((server.requests[0].body as Record<string, unknown>).messages);
    expect(sent).toContain(JSON.stringify(JSON.stringify({ name: "Ann", city: "Lyon" }, null, 2)).slice(1, -1));
  });
});
