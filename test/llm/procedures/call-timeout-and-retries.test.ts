import { describe, expect, it } from "vitest";
import { openAiCompletion } from "../../support/openai-server.js";
import type { ScriptedResponse } from "../../support/scripted-server.js";
import { runWithModels } from "../../support/run-with-model.js";
import { closeServersAfterEachTest, openAi } from "../../support/procedure-emulators.js";

/** `the timeout is …` and `the retries are …`, block lines of every LLM procedure, reach the request. */
closeServersAfterEachTest();

describe("a call's timeout and retries", () => {
  it("`the timeout is 0.2` (seconds) ends a slow answer as a timeout", async () => {
    const { server, environment } = await openAi();
    server.enqueue({ ...openAiCompletion("too late"), delayMilliseconds: 1500 } as ScriptedResponse);
    const started = Date.now();
    const result = await runWithModels('summarize "A long text"\n    the timeout is 0.2\nsay the summary\n', environment);
    expect(Date.now() - started).toBeLessThan(1200);
    expect(result.status).toBe("failed");
    expect(result.error?.message).toMatch(/the call timed out: no complete answer within 200 ms/);
  });

  it("takes minutes and seconds written as text, and retries as a whole number", async () => {
    const { server, environment } = await openAi();
    server.enqueue(openAiCompletion("Short."));
    const result = await runWithModels('ask the model "Hi"\n    the timeout is "2 minutes"\n    the retries are 0\nsay the answer\n', environment);
    expect(result.error).toBeNull();
    expect(result.output).toEqual(["Short."]);
  });

  it("says what is wrong with a timeout or retries it cannot read", async () => {
    const { environment } = await openAi();
    const timeout = await runWithModels('ask the model "Hi"\n    the timeout is "soon"\n', environment);
    expect(timeout.error?.message).toBe('`the timeout` must be a number of seconds above 0 (at most an hour), but it is "soon".');
    const retries = await runWithModels('ask the model "Hi"\n    the retries are 2.5\n', environment);
    expect(retries.error?.message).toBe('`the retries` must be a whole number from 0 to 10, but it is "2.5".');
  });
});
