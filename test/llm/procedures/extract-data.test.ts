import { describe, expect, it } from "vitest";
import { openAiCompletion } from "../../support/openai-server.js";
import { openAiPerTest } from "../../support/procedure-emulators.js";
import { runWithModels } from "../../support/run-with-model.js";

const invoiceScript = `read the file "invoice.txt"
extract data from the file
    the openai model is "gpt-4.1-mini"
    the first field is "invoice number"
    the second field is "total"
    the second field's format is "number"
    the third field is "due date"
    the third field's format is "date"
    the third field's rule is "the payment due date"
    the fourth field is "paid"
    the fourth field's format is "boolean"
say "{the data's invoice number}: {the data's total} due {the data's due date}"
`;

describe("extract data through the OpenAI adapter", () => {
  const emulator = openAiPerTest();
  const environment = emulator.environment;

  it("sends a strict JSON schema with the document and gets a typed record", async () => {
    emulator.server().enqueue(openAiCompletion(JSON.stringify({ "invoice number": "INV-7", total: 1200.5, "due date": "2024-11-05", paid: false })));
    const result = await runWithModels(invoiceScript, environment(), { files: { "invoice.txt": "Invoice INV-7. Total due: $1,200.50 by 5 Nov 2024." } });
    expect(result.error).toBeNull();
    expect(result.output).toEqual(["INV-7: 1200.5 due 2024-11-05"]);
    expect(result.facts.data).toEqual({ "invoice number": "INV-7", total: 1200.5, "due date": "2024-11-05", paid: false });
    const body = emulator.server().requests[0].body as Record<string, any>;
    expect(body.model).toBe("gpt-4.1-mini");
    expect(body.store).toBe(false);
    expect(body.response_format.type).toBe("json_schema");
    expect(body.response_format.json_schema.strict).toBe(true);
    expect(body.response_format.json_schema.schema.required).toEqual(["invoice number", "total", "due date", "paid"]);
    expect(body.response_format.json_schema.schema.properties.total.type).toEqual(["number", "null"]);
    expect(JSON.stringify(body.messages)).toContain("Invoice INV-7. Total due");
    expect(emulator.server().requests[0].headers.authorization).toBe("Bearer sk-test-key");
    expect(result.usage.modelCalls).toBe(1);
  });

  it("sends one repair request naming the broken field, and counts both attempts", async () => {
    emulator.server().enqueue(openAiCompletion(JSON.stringify({ "invoice number": "INV-7", total: "twelve hundred", "due date": "5/11/2024", paid: false }), { inputTokens: 50, outputTokens: 20 }));
    emulator.server().enqueue(openAiCompletion(JSON.stringify({ "invoice number": "INV-7", total: 1200.5, "due date": "2024-11-05", paid: false }), { inputTokens: 80, outputTokens: 20 }));
    const result = await runWithModels(invoiceScript, environment(), { files: { "invoice.txt": "Invoice INV-7." } });
    expect(result.status).toBe("done");
    expect(emulator.server().requests).toHaveLength(2);
    const repair = JSON.stringify((emulator.server().requests[1].body as Record<string, any>).messages);
    expect(repair).toContain('\\"total\\" must be a number');
    expect(repair).toContain('\\"due date\\" must be a date written as YYYY-MM-DD');
    expect(result.usage).toEqual({ modelCalls: 2, inputTokens: 130, outputTokens: 40 });
    expect(result.facts.data).toMatchObject({ total: 1200.5, "due date": "2024-11-05" });
  });

  it("asks a person for a field the model could not find, and takes defaults", async () => {
    const script = `extract data from "Order 12 from ACME"
    the first field is "order number"
    the first field's format is "number"
    the second field is "vendor email"
    the third field is "priority"
    the third field's default is "normal"
`;
    emulator.server().enqueue(openAiCompletion(JSON.stringify({ "order number": 12, "vendor email": null, priority: null })));
    const waiting = await runWithModels(script, environment());
    expect(waiting.status).toBe("waiting");
    expect(waiting.questions.map((question) => question.text)).toEqual(["What is the data's vendor email?"]);
    emulator.server().enqueue(openAiCompletion(JSON.stringify({ "order number": 12, "vendor email": null, priority: null })));
    const done = await runWithModels(script, environment(), { answers: { "the data's vendor email": "orders@acme.test" } });
    expect(done.status).toBe("done");
    expect(done.facts.data).toEqual({ "order number": 12, "vendor email": "orders@acme.test", priority: "normal" });
  });

  it("turns a rejected key into an English error at the call, without the key", async () => {
    emulator.server().enqueue({ status: 401, headers: { "content-type": "application/json" }, body: JSON.stringify({ error: { message: "Incorrect API key provided: sk-test-key.", type: "invalid_request_error", code: "invalid_api_key" } }) });
    const result = await runWithModels(invoiceScript, environment(), { files: { "invoice.txt": "x" } });
    expect(result.status).toBe("failed");
    expect(result.error?.at).toBe("/scripts/test.prose:2:1");
    expect(result.error?.message).toMatch(/401/);
    expect(JSON.stringify(result)).not.toContain("sk-test-key");
  });
});
