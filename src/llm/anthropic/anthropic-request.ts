import type {
  ContentBlockParam,
  MessageCreateParamsBase,
  MessageParam,
  Base64ImageSource,
} from "@anthropic-ai/sdk/resources/messages";
import type { GenerateRequest } from "../language-model.js";
import type { ReasoningLevel } from "../provider-descriptor.js";
import type { ReasoningSent } from "../reasoning-sent.js";
import { structuredOutputToolDescription } from "../structured-output-tool.js";
import { claudeThinking } from "./thinking.js";

/** The messages API requires a maximum; this one is used when the request gives none. */
export const defaultMaxOutputTokens = 4096;

export type MessagesRequestBody = Omit<MessagesRequestBodyWithStream, "stream">;
type MessagesRequestBodyWithStream = MessageCreateParamsBase;

/**
 * Translates a request into messages-API parameters. Structured output is one
 * tool whose input schema is the JSON schema, and a `tool_choice` that forces it.
 * Thinking follows the reasoning level (thinking.ts): disabled, the smallest budget, or adaptive
 * at the low effort for models that cannot turn it off; never with a forced tool.
 */
export function messagesRequestBody(
  request: GenerateRequest,
  model: string,
  reasoning: ReasoningLevel = "off",
): { body: MessagesRequestBody; warnings: string[]; reasoning: ReasoningSent } {
  const warnings: string[] = [];
  const thinking = claudeThinking(model, reasoning, { maxTokens: request.maxOutputTokens ?? defaultMaxOutputTokens, forcedTool: request.structuredOutput !== undefined });
  const body: MessagesRequestBody = {
    model,
    max_tokens: thinking.maxTokens,
    messages: request.messages.map(messageParam),
  };
  if (thinking.thinking !== undefined) body.thinking = thinking.thinking;
  if (thinking.outputConfig !== undefined) body.output_config = thinking.outputConfig;
  if (thinking.warning !== undefined) warnings.push(thinking.warning);
  if (request.system !== undefined && request.system !== "") body.system = request.system;
  if (request.temperature !== undefined) {
    // The SDK sends anthropic-version 2026-10-21, which answers 400 to any sampling parameter.
    warnings.push(`Anthropic accepts no temperature (API version 2026-10-21); the temperature ${request.temperature} was ignored.`);
  }
  const structured = request.structuredOutput;
  if (structured !== undefined) {
    body.tools = [
      {
        name: structured.name,
        description: structuredOutputToolDescription(structured),
        input_schema: structured.jsonSchema as { type: "object" },
      },
    ];
    body.tool_choice = { type: "tool", name: structured.name };
  }
  return { body, warnings, reasoning: thinking.sent };
}

function messageParam(message: GenerateRequest["messages"][number]): MessageParam {
  if (message.role === "assistant") {
    return { role: "assistant", content: message.content.map((part) => part.text).join("") };
  }
  const content: ContentBlockParam[] = message.content.map((part) =>
    part.type === "text"
      ? { type: "text", text: part.text }
      : { type: "image", source: { type: "base64", media_type: part.mediaType as Base64ImageSource["media_type"], data: part.base64 } },
  );
  return { role: "user", content };
}
