import { describe, expect, it } from "vitest";
import { MemoryJournal } from "../../../src/runtime/journal.js";
import { runJournaled } from "../../support/journaled-run.js";
import { openAiCompletion } from "../../support/openai-server.js";
import { closeServersAfterEachTest, openAi } from "../../support/procedure-emulators.js";
import { runWithModels } from "../../support/run-with-model.js";

closeServersAfterEachTest();

const invoice = "INVOICE INV-7\nVendor: Acme Ltd\nTax ID: DE123456789\nTotal: $1,200.50\nDue: 2024-12-01";
const schemaOf = (body: unknown) => (body as any).response_format.json_schema.schema as { properties: Record<string, unknown>; required: string[] };
const userText = (body: unknown) => ((body as any).messages.at(-1).content as Array<{ text?: string }>).map((part) => part.text ?? "").join("");

describe("§10.2: a possessive on a document is a field read from it by the model", () => {
  it("three fields of one invoice cost exactly one model call, and a resumed run none", async () => {
    const { server, environment } = await openAi();
    server.enqueue(openAiCompletion(JSON.stringify({ "invoice number": "INV-7", "tax id": "DE123456789", total: "$1,200.50" })));
    const script = `read the file "/data/invoice.txt" as the invoice
say the invoice's invoice number
say the invoice's "tax id"
if the invoice's total is greater than $1,000
    say "large"
`;
    const journal = new MemoryJournal();
    const files = new Map([["/data/invoice.txt", invoice]]);
    const first = await runJournaled(script, { environment, journal, files });
    expect(first.error).toBeNull();
    expect(first.said).toEqual(["INV-7", "DE123456789", "large"]);
    expect(server.requests).toHaveLength(1);
    expect(schemaOf(server.requests[0].body).required.sort()).toEqual(["invoice number", "tax id", "total"]);
    expect(userText(server.requests[0].body)).toContain("Tax ID: DE123456789");
    expect(first.usage.modelCalls).toBe(1);

    const resumed = await runJournaled(script, { environment, journal: new MemoryJournal(journal.records), files });
    expect(resumed.said).toEqual(["INV-7", "DE123456789", "large"]);
    expect(server.requests).toHaveLength(1);
  });

  it("`get the document's … as the …` names the field's value; the get block's model lines and creativity apply", async () => {
    const { server, environment } = await openAi();
    server.enqueue(openAiCompletion(JSON.stringify({ "first address": "1 Main St, Springfield", "due date": "2024-12-01" })));
    const result = await runWithModels(
      `read the file "invoice.txt" as the document
get the document's first address as the shipping address
    the openai model is "gpt-4.1-mini"
    the creativity is 0.1
say the shipping address
say the document's due date + 1
`,
      environment,
      { files: { "invoice.txt": invoice } },
    );
    expect(result.error).toBeNull();
    expect(result.output).toEqual(["1 Main St, Springfield", "2024-12-02"]);
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0].body).toMatchObject({ model: "gpt-4.1-mini", temperature: 0.1 });
  });

  it("a field the model does not find is a value question; `find` gives nothing instead", async () => {
    const { server, environment } = await openAi();
    server.enqueue(openAiCompletion(JSON.stringify({ "po number": null, date: null })));
    const script = `read the file "invoice.txt" as the document
find the document's "date"
if the above is nothing
    say "no date"
get the document's po number
say the above
`;
    const waiting = await runWithModels(script, environment, { files: { "invoice.txt": invoice } });
    expect(waiting.output).toEqual(["no date"]);
    expect(waiting.status).toBe("waiting");
    expect(waiting.questions.map((question) => [question.kind, question.text])).toEqual([["value", "What is the document's po number?"]]);
    expect(server.requests).toHaveLength(1);

    server.enqueue(openAiCompletion(JSON.stringify({ "po number": null, date: null })));
    const answered = await runWithModels(script, environment, { files: { "invoice.txt": invoice }, answers: { "the document's po number": "PO-9" } });
    expect(answered.error).toBeNull();
    expect(answered.output).toEqual(["no date", "PO-9"]);
  });

  it("a field read in a loop is read once per document, all of the loop's fields in one call each", async () => {
    const { server, environment } = await openAi();
    server.enqueue(openAiCompletion(JSON.stringify({ vendor: "Acme", total: "10" })), openAiCompletion(JSON.stringify({ vendor: "Bolt", total: "32" })));
    const result = await runWithModels(
      `read the file "a.txt" as the first invoice
read the file "b.txt" as the second invoice
the sum is 0
for each invoice in the invoices
    say "{the invoice's vendor}: {the invoice's total}"
    add the invoice's total to the sum
say the sum
`,
      environment,
      { files: { "a.txt": "Acme, total 10", "b.txt": "Bolt, total 32" } },
    );
    expect(result.error).toBeNull();
    expect(result.output).toEqual(["Acme: 10", "Bolt: 32", "42"]);
    expect(server.requests).toHaveLength(2);
  });

  it("a field the script sets itself is not asked of the model; a document's own attributes never are", async () => {
    const { server, environment } = await openAi();
    server.enqueue(openAiCompletion(JSON.stringify({ total: "5" })));
    const result = await runWithModels(
      `read the file "invoice.txt" as the invoice
the invoice's status is "seen"
say the invoice's status
say the invoice's extension
say the invoice's total
`,
      environment,
      { files: { "invoice.txt": invoice } },
    );
    expect(result.error).toBeNull();
    expect(result.output).toEqual(["seen", "txt", "5"]);
    expect(schemaOf(server.requests[0].body).required).toEqual(["total"]);
  });

  it("fields read under another name (a procedure's input) come in a call of their own", async () => {
    const { server, environment } = await openAi();
    server.enqueue(openAiCompletion(JSON.stringify({ vendor: "Acme" })), openAiCompletion(JSON.stringify({ total: "5" })));
    const result = await runWithModels(
      `to show a bill
    say the bill's total
read the file "invoice.txt" as the invoice
say the invoice's vendor
show the invoice
say the invoice's vendor
`,
      environment,
      { files: { "invoice.txt": invoice } },
    );
    expect(result.error).toBeNull();
    expect(result.output).toEqual(["Acme", "5", "Acme"]);
    expect(server.requests.map((request) => schemaOf(request.body).required)).toEqual([["vendor"], ["total"]]);
  });

  it("a block line of the reading statement that needs an unknown fact is asked first, then the field is read", async () => {
    const { server, environment } = await openAi();
    server.enqueue(openAiCompletion(JSON.stringify({ total: "5" })));
    const script = `read the file "invoice.txt" as the invoice
get the invoice's total
    the openai model is the model name
say the above
`;
    const waiting = await runWithModels(script, environment, { files: { "invoice.txt": invoice } });
    expect(waiting.status).toBe("waiting");
    expect(waiting.questions.map((question) => question.text)).toEqual(["What is the model name?"]);
    expect(server.requests).toHaveLength(0);
    const answered = await runWithModels(script, environment, { files: { "invoice.txt": invoice }, answers: { "the model name": "gpt-4.1-nano" } });
    expect(answered.output).toEqual(["5"]);
    expect(server.requests[0].body).toMatchObject({ model: "gpt-4.1-nano" });
  });

  it("a document's field in an expression that no model can read is an English error at the line", async () => {
    const result = await runWithModels(`read the file "invoice.txt" as the invoice\nsay the invoice's total\n`, {}, { files: { "invoice.txt": invoice } });
    expect(result.status).toBe("failed");
    expect(result.error?.message).toMatch(/prose byom add/);
    expect(result.error?.at).toBe("/scripts/test.prose:2:1");
  });
});
