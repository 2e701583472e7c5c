import { describe, expect, it } from "vitest";
import { anthropicText, anthropicToolUse, startAnthropicServer } from "../../support/anthropic-server.js";
import { geminiText, startGeminiServer } from "../../support/gemini-server.js";
import { openAiCompletion } from "../../support/openai-server.js";
import { runWithModels } from "../../support/run-with-model.js";
import { closeServersAfterEachTest, keep, openAi } from "../../support/procedure-emulators.js";

closeServersAfterEachTest();

describe("LLM procedures", () => {
  it("classify always ends on one of the categories, repairing an answer outside them", async () => {
    const { server, environment } = await openAi();
    server.enqueue(openAiCompletion(JSON.stringify({ category: "Bill" })));
    server.enqueue(openAiCompletion(JSON.stringify({ category: "INVOICE" })));
    const result = await runWithModels(
      `classify "Please pay the amount below by Friday"
    the categories are "invoice", "receipt" and "other"
say the category
`,
      environment,
    );
    expect(result.output).toEqual(["invoice"]);
    const schema = (server.requests[0].body as any).response_format.json_schema.schema;
    expect(schema.properties.category.enum).toEqual(["invoice", "receipt", "other"]);
    expect(JSON.stringify((server.requests[1].body as any).messages)).toContain("must be exactly one of");
  });

  it("classify reads categories with descriptions built through ordinals", async () => {
    const { server, environment } = await openAi();
    server.enqueue(openAiCompletion(JSON.stringify({ category: "urgent" })));
    const result = await runWithModels(
      `classify "The server is down!" as the priority
    the first category is "urgent"
    the first category's description is "needs action today"
    the second category is "later"
say the priority
`,
      environment,
    );
    expect(result.output).toEqual(["urgent"]);
    expect((server.requests[0].body as any).messages[0].content).toContain("needs action today");
  });

  it("summarize passes length, focus, instructions and creativity", async () => {
    const { server, environment } = await openAi();
    server.enqueue(openAiCompletion("A short summary."));
    const result = await runWithModels(
      `summarize "A long text about invoices and payments."
    the length is "2 sentences"
    the focus is "payments"
    the instructions are "Write for an accountant."
    the creativity is 0.3
say the summary
`,
      environment,
    );
    expect(result.output).toEqual(["A short summary."]);
    const body = server.requests[0].body as any;
    expect(body.temperature).toBe(0.3);
    expect(body.response_format).toBeUndefined();
    const system = body.messages[0].content as string;
    expect(system).toContain("2 sentences");
    expect(system).toContain("payments");
    expect(system).toContain("Write for an accountant.");
  });

  it("ask the model shapes numbers, dates and lists", async () => {
    const { server, environment } = await openAi();
    server.enqueue(openAiCompletion(JSON.stringify({ answer: "1,250.75" })));
    server.enqueue(openAiCompletion(JSON.stringify({ answer: "2024-12-24" })));
    server.enqueue(openAiCompletion(JSON.stringify({ answer: ["red", "green"] })));
    const result = await runWithModels(
      `ask the model "How much is 1000 plus 250.75?"
    the response format is "number"
say the answer plus 1
ask the model "When is Christmas Eve 2024?" as the eve
    the response format is "date"
say the eve + 1
ask the model "Two colours?" as the colours
    the response format is "list of texts"
say the number of colours
`,
      environment,
    );
    expect(result.error).toBeNull();
    expect(result.output).toEqual(["1251.75", "2024-12-25", "2"]);
  });

  it("extract a table gives a list of records", async () => {
    const { server, environment } = await openAi();
    server.enqueue(openAiCompletion(JSON.stringify({ rows: [{ item: "Pen", price: 2.5 }, { item: "Ink", price: "3.10" }] })));
    const result = await runWithModels(
      `extract a table from "Pen 2.50, Ink 3.10"
    the description is "the order lines"
    the first column is "item"
    the second column is "price"
    the second column's format is "number"
say the number of table
say the sum of the table's price
`,
      environment,
    );
    expect(result.error).toBeNull();
    expect(result.output).toEqual(["2", "5.6"]);
    const rows = (server.requests[0].body as any).response_format.json_schema.schema.properties.rows;
    expect(rows.items.required).toEqual(["item", "price"]);
  });

  it("extract data from a list of documents gives a list of records", async () => {
    const { server, environment } = await openAi();
    server.enqueue(openAiCompletion(JSON.stringify({ total: 10 })));
    server.enqueue(openAiCompletion(JSON.stringify({ total: 32 })));
    const result = await runWithModels(
      `read the file "a.txt" as the first document
read the file "b.txt" as the second document
extract data from the documents
    the first field is "total"
    the first field's format is "number"
say the sum of the data's total
`,
      environment,
      { files: { "a.txt": "Total 10", "b.txt": "Total 32" } },
    );
    expect(result.error).toBeNull();
    expect(result.output).toEqual(["42"]);
    expect(server.requests).toHaveLength(2);
  });

  it("translate goes to Anthropic with a forced tool for structured calls and plain text here", async () => {
    const server = keep(await startAnthropicServer());
    server.enqueue(anthropicText("Bonjour"));
    server.enqueue(anthropicToolUse("extracted_data", { city: "Paris" }));
    const result = await runWithModels(
      `translate "Hello" to "French"
    the anthropic model is "claude-haiku-4-5"
say the translation
extract data from "I live in Paris"
    the anthropic model is "claude-haiku-4-5"
    the first field is "city"
say the data's city
`,
      { ANTHROPIC_API_KEY: "sk-ant-test", ANTHROPIC_BASE_URL: server.url },
    );
    expect(result.error).toBeNull();
    expect(result.output).toEqual(["Bonjour", "Paris"]);
    expect((server.requests[0].body as any).system).toContain("French");
    expect((server.requests[1].body as any).tool_choice).toEqual({ type: "tool", name: "extracted_data" });
  });

  it("summarize goes to Gemini with its API key", async () => {
    const server = keep(await startGeminiServer());
    server.enqueue(geminiText("Short."));
    const result = await runWithModels(
      `summarize "Long text"
    the gemini model is "gemini-2.5-flash"
say the summary
`,
      { GEMINI_API_KEY: "gm-test", GOOGLE_GEMINI_BASE_URL: server.url },
    );
    expect(result.error).toBeNull();
    expect(result.output).toEqual(["Short."]);
    expect(server.requests[0].path).toContain("gemini-2.5-flash:generateContent");
  });

  it("without any key the error names the command that fixes it", async () => {
    const result = await runWithModels(`summarize "x"\n`, {});
    expect(result.status).toBe("failed");
    expect(result.error?.message).toMatch(/prose byom add/);
    expect(result.error?.at).toBe("/scripts/test.prose:1:1");
  });
});

describe("LLM procedures with PDF and image documents", () => {
  it("sends a PDF's text layer, and a scanned PDF as page images at the block's dpi", async () => {
    const { readFile } = await import("node:fs/promises");
    const { fileURLToPath } = await import("node:url");
    const fixtures = fileURLToPath(new URL("../../fixtures/documents/", import.meta.url));
    const { server, environment } = await openAi();
    server.enqueue(openAiCompletion(JSON.stringify({ total: 1200.5 })));
    server.enqueue(openAiCompletion(JSON.stringify({ total: 7 })));
    const result = await runWithModels(
      `read the file "invoice.pdf" as the text pdf
extract data from the text pdf as the first result
    the first field is "total"
    the first field's format is "number"
read the file "scanned.pdf" as the scan
extract data from the scan as the second result
    the dpi is 144
    the first field is "total"
    the first field's format is "number"
say the sum of the results' total
`,
      environment,
      { files: { "invoice.pdf": await readFile(`${fixtures}invoice.pdf`), "scanned.pdf": await readFile(`${fixtures}scanned.pdf`) } },
    );
    expect(result.error).toBeNull();
    expect(result.output).toEqual(["1207.5"]);
    const first = JSON.stringify((server.requests[0].body as any).messages);
    expect(first).toContain("Invoice INV-7 total 1200.50");
    const second = (server.requests[1].body as any).messages[1].content as Array<{ type: string; image_url?: { url: string } }>;
    expect(second.some((part) => part.type === "image_url" && part.image_url!.url.startsWith("data:image/png;base64,"))).toBe(true);
  });
});
