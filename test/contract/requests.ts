/**
 * The request shapes the LLM procedures send (src/llm/procedures): system instructions, a
 * temperature, an output limit, structured output with every field format, an image, and the
 * repair turn that follows a structured answer which broke its format.
 */
import type { GenerateRequest, StructuredOutput } from "../../src/llm/language-model.js";

/** A 1×1 PNG. */
export const pngBase64 = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==";

/** Every property required, nothing else allowed (strict-mode safe); nullable ones as the procedures write them. */
export const invoiceSchema: Record<string, unknown> = {
  type: "object",
  properties: {
    vendor: { type: "string", description: "vendor: a text" },
    total: { type: ["number", "null"], description: "total: a number (digits only). null when the source does not give it" },
    paid: { type: ["boolean", "null"], description: "paid: true or false. null when the source does not give it" },
    note: { type: ["string", "null"], description: "note: a text. null when the source does not give it" },
    issued: { type: "string", format: "date", description: "issued: a date written as YYYY-MM-DD" },
    due: { type: ["string", "null"], description: "due: a date written as YYYY-MM-DD. null when the source does not give it" },
    items: { type: ["array", "null"], items: { type: "string" }, description: "items: a list of texts. null when the source does not give it" },
    labels: { type: "array", items: { type: "string" }, description: "labels: a list of texts" },
    status: { type: "string", enum: ["draft", "sent", "paid"], description: "status: one of draft, sent, paid" },
  },
  required: ["vendor", "total", "paid", "note", "issued", "due", "items", "labels", "status"],
  additionalProperties: false,
};

export const invoiceOutput: StructuredOutput = { name: "extract_invoice", jsonSchema: invoiceSchema };

const system = "You read business documents and answer exactly what is asked.\n\nInstructions from the script's author: Be brief.";

export function plainText(): GenerateRequest {
  return {
    system,
    messages: [{ role: "user", content: [{ type: "text", text: "Summarize: the invoice from ACME is due on 2026-12-01." }] }],
    temperature: 0.2,
    maxOutputTokens: 256,
  };
}

export function structured(): GenerateRequest {
  return {
    system,
    messages: [{ role: "user", content: [{ type: "text", text: "Extract the invoice fields from: ACME, 1,200.50 USD, issued 2026-11-02." }] }],
    temperature: 0,
    maxOutputTokens: 1024,
    structuredOutput: invoiceOutput,
  };
}

export function withImage(): GenerateRequest {
  return {
    system,
    messages: [
      {
        role: "user",
        content: [
          { type: "text", text: "Describe this picture." },
          { type: "image", mediaType: "image/png", base64: pngBase64 },
        ],
      },
    ],
    temperature: 0,
  };
}

/** The second attempt of a structured answer: the first answer and the repair request. */
export function repairTurn(): GenerateRequest {
  return {
    system,
    messages: [
      {
        role: "user",
        content: [
          { type: "text", text: "Extract the invoice fields from this scan." },
          { type: "image", mediaType: "image/png", base64: pngBase64 },
        ],
      },
      { role: "assistant", content: [{ type: "text", text: '{"vendor":"ACME","total":"about 1200"}' }] },
      { role: "user", content: [{ type: "text", text: 'Your answer broke these rules:\n- "total" must be a number\nAnswer again with the complete JSON object.' }] },
    ],
    structuredOutput: invoiceOutput,
  };
}
