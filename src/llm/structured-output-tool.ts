import type { StructuredOutput } from "./language-model.js";

/**
 * Providers without a JSON-schema response mode (Anthropic, Bedrock) get structured
 * output through one tool that the model is forced to call; its input is the answer.
 */
export function structuredOutputToolDescription(structured: StructuredOutput): string {
  return structured.description ?? "Give the answer as the input of this tool, following its schema.";
}
