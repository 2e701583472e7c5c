import type { Content, GenerateContentConfig, Part } from "@google/genai";
import type { GenerateRequest } from "../language-model.js";
import type { ReasoningLevel } from "../provider-descriptor.js";
import type { ReasoningSent } from "../reasoning-sent.js";
import { geminiThinking } from "./thinking-config.js";

/**
 * Translates a request into Gemini contents and configuration. Structured output
 * is `responseMimeType: application/json` with the JSON schema as `responseJsonSchema`.
 */
export function generateContentParts(
  request: GenerateRequest,
  model: string,
  reasoning: ReasoningLevel = "off",
): { contents: Content[]; config: GenerateContentConfig; warnings: string[]; reasoning: ReasoningSent } {
  const warnings: string[] = [];
  const contents: Content[] = request.messages.map((message) => ({
    role: message.role === "assistant" ? "model" : "user",
    parts: message.content.map(
      (part): Part => (part.type === "text" ? { text: part.text } : { inlineData: { mimeType: part.mediaType, data: part.base64 } }),
    ),
  }));
  const config: GenerateContentConfig = {};
  if (request.system !== undefined && request.system !== "") config.systemInstruction = request.system;
  if (request.temperature !== undefined) config.temperature = request.temperature;
  if (request.maxOutputTokens !== undefined) config.maxOutputTokens = request.maxOutputTokens;
  if (request.structuredOutput !== undefined) {
    config.responseMimeType = "application/json";
    config.responseJsonSchema = request.structuredOutput.jsonSchema;
  } else if (request.jsonMode) {
    config.responseMimeType = "application/json";
  }
  const thinking = geminiThinking(model, reasoning);
  if (thinking.thinkingConfig !== undefined) config.thinkingConfig = thinking.thinkingConfig;
  if (thinking.warning !== undefined) warnings.push(thinking.warning);
  return { contents, config, warnings, reasoning: thinking.sent };
}
