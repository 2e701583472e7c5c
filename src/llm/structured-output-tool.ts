import type { GenerateRequest, GenerateResult, StructuredOutput } from "./language-model.js";

/**
 * Providers without a JSON-schema response mode (Anthropic, Bedrock) get structured
 * output through one tool that the model is forced to call; its input is the answer.
 */
export function structuredOutputToolDescription(structured: StructuredOutput): string {
  return structured.description ?? "Give the answer as the input of this tool, following its schema.";
}

/**
 * JSON mode where the provider has none (Anthropic, Bedrock): one forced tool whose only input,
 * `answer`, is the answer as any JSON value (a tool's input must be an object, the answer need not be).
 */
export const jsonAnswerTool: StructuredOutput = {
  name: "json_answer",
  description: "Give your complete answer as the `answer` input of this tool: any JSON value (an object, a list, a text, a number).",
  jsonSchema: {
    type: "object",
    properties: { answer: { description: "The complete answer, as a JSON value." } },
    required: ["answer"],
  },
};

/** The request an adapter without a JSON mode sends: `jsonMode` becomes the forced `json_answer` tool. */
export function withJsonAnswerTool(request: GenerateRequest): GenerateRequest {
  if (!request.jsonMode || request.structuredOutput !== undefined) return request;
  return { ...request, structuredOutput: jsonAnswerTool };
}

/** The answer of the `json_answer` tool: its `answer` as the result's JSON and JSON text. */
export function unwrapJsonAnswer(request: GenerateRequest, result: GenerateResult): GenerateResult {
  if (!request.jsonMode || request.structuredOutput !== undefined) return result;
  const input = result.json;
  if (input === null || typeof input !== "object" || !("answer" in input)) return result;
  const answer = (input as { answer: unknown }).answer;
  return { ...result, json: answer, text: JSON.stringify(answer) };
}
