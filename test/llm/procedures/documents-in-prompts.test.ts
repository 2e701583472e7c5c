import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { openAiCompletion } from "../../support/openai-server.js";
import { closeServersAfterEachTest, openAi } from "../../support/procedure-emulators.js";
import { runWithModels } from "../../support/run-with-model.js";

closeServersAfterEachTest();

const report = "Quarterly report. Risk: the main supplier may close. Risk: prices rise 12%.";
const userContent = (body: unknown) => (body as any).messages.find((message: any) => message.role === "user").content as Array<{ type: string; text?: string; image_url?: { url: string } }>;
const userText = (body: unknown) => userContent(body).map((part) => part.text ?? "").join("");

describe("§10.2: a document inside a model prompt is its content", () => {
  it("`ask the model \"… {the document}\"` gives the model the document's text, not only its file name", async () => {
    const { server, environment } = await openAi();
    server.enqueue(openAiCompletion("Supplier closure; price rises."));
    const result = await runWithModels(
      `read the file "report.txt" as the document
ask the model "List the risks in this report: {the document}"
say the answer
`,
      environment,
      { files: { "report.txt": report } },
    );
    expect(result.error).toBeNull();
    expect(result.output).toEqual(["Supplier closure; price rises."]);
    const sent = userText(server.requests[0].body);
    expect(sent).toContain("List the risks in this report: ");
    expect(sent).toContain(report);
  });

  it("the text around the document keeps its place: before, the document, after", async () => {
    const { server, environment } = await openAi();
    server.enqueue(openAiCompletion("ok"));
    await runWithModels(
      `read the file "report.txt" as the document
the reader is "the board"
summarize "For {the reader}: {the document} (keep it short)"
`,
      environment,
      { files: { "report.txt": report } },
    );
    const parts = userContent(server.requests[0].body).map((part) => part.text);
    expect(parts).toEqual(["For the board: ", `Document "report.txt":\n${report}`, " (keep it short)"]);
  });

  it("a PDF put into a prompt is given as its pages, exactly as the document alone would be", async () => {
    const fixtures = fileURLToPath(new URL("../../fixtures/documents/", import.meta.url));
    const { server, environment } = await openAi();
    server.enqueue(openAiCompletion(JSON.stringify({ answer: 1200.5 })), openAiCompletion(JSON.stringify({ answer: 1200.5 })));
    const result = await runWithModels(
      `read the file "invoice.pdf" as the invoice
ask the model "What is the total of {the invoice}?"
    the response format is "number"
ask the model the invoice
    the response format is "number"
`,
      environment,
      { files: { "invoice.pdf": await readFile(`${fixtures}invoice.pdf`) } },
    );
    expect(result.error).toBeNull();
    const inPrompt = userText(server.requests[0].body);
    const alone = userText(server.requests[1].body);
    expect(inPrompt).toContain("Invoice INV-7 total 1200.50");
    expect(inPrompt).toBe(`What is the total of ${alone}?`);
  });

  it("an image put into a prompt is sent as an image", async () => {
    const fixtures = fileURLToPath(new URL("../../fixtures/documents/", import.meta.url));
    const { server, environment } = await openAi();
    server.enqueue(openAiCompletion("A receipt."));
    const images = ["receipt.png"];
    const result = await runWithModels(
      `read the file "${images[0]}" as the photo
ask the model "What is in {the photo}?"
`,
      environment,
      { files: { [images[0]]: await readFile(`${fixtures}${images[0]}`) } },
    );
    expect(result.error).toBeNull();
    const content = userContent(server.requests[0].body);
    expect(content[0]).toEqual({ type: "text", text: "What is in " });
    expect(content[1].text).toMatch(/^Document "receipt\.png" \(image/);
    expect(content[2].image_url?.url).toMatch(/^data:image\/png;base64,/);
  });

  it("everywhere else a document still shows as its file name", async () => {
    const { server, environment } = await openAi();
    server.enqueue(openAiCompletion("ok"));
    const result = await runWithModels(
      `read the file "report.txt" as the document
say "Reading {the document}"
the prompt is "Risks in: {the document}"
say the prompt
ask the model the prompt
`,
      environment,
      { files: { "report.txt": report } },
    );
    expect(result.error).toBeNull();
    expect(result.output).toEqual(["Reading report.txt", "Risks in: report.txt"]);
    // A prompt kept in a fact is a text: only a text written in the call keeps its documents.
    expect(userText(server.requests[0].body)).toBe("Risks in: report.txt");
  });
});
