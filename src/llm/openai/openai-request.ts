import type {
  ChatCompletionContentPart,
  ChatCompletionCreateParamsBase,
  ChatCompletionMessageParam,
} from "openai/resources/chat/completions";
import type { GenerateRequest, ProviderType } from "../language-model.js";
import { reasoningSettings } from "./reasoning-models.js";

export type ChatRequestBody = Omit<ChatCompletionCreateParamsBase, "stream">;

/** Translates a request into chat-completions parameters, plus warnings for settings dropped. */
export function chatRequestBody(
  request: GenerateRequest,
  model: string,
  providerType: ProviderType,
): { body: ChatRequestBody; warnings: string[] } {
  const warnings: string[] = [];
  const isOpenAi = providerType === "openai" || providerType === "azure-openai";
  const body: ChatRequestBody = { model, messages: chatMessages(request) };
  // Custom OpenAI-compatible servers may not know the newer parameters; they get the classic ones.
  const reasoning = isOpenAi ? reasoningSettings(model) : { isReasoningModel: false };
  if (request.temperature !== undefined) {
    if (reasoning.isReasoningModel && request.temperature !== 1) {
      warnings.push(`Model "${model}" is a reasoning model and accepts no temperature; the temperature ${request.temperature} was ignored.`);
    } else {
      body.temperature = request.temperature;
    }
  }
  if (request.maxOutputTokens !== undefined) {
    if (isOpenAi) body.max_completion_tokens = request.maxOutputTokens;
    else body.max_tokens = request.maxOutputTokens;
  }
  if ("lowestEffort" in reasoning && reasoning.lowestEffort !== undefined) body.reasoning_effort = reasoning.lowestEffort;
  if ("warning" in reasoning && reasoning.warning !== undefined) warnings.push(reasoning.warning);
  if (isOpenAi) body.store = false;
  const structured = request.structuredOutput;
  if (structured === undefined && request.jsonMode) body.response_format = { type: "json_object" };
  if (structured !== undefined) {
    body.response_format = {
      type: "json_schema",
      json_schema: {
        name: structured.name,
        schema: structured.jsonSchema,
        strict: true,
        ...(structured.description === undefined ? {} : { description: structured.description }),
      },
    };
  }
  return { body, warnings };
}

function chatMessages(request: GenerateRequest): ChatCompletionMessageParam[] {
  const messages: ChatCompletionMessageParam[] = [];
  if (request.system !== undefined && request.system !== "") messages.push({ role: "system", content: request.system });
  for (const message of request.messages) {
    if (message.role === "assistant") {
      messages.push({ role: "assistant", content: message.content.map((part) => part.text).join("") });
      continue;
    }
    const content: ChatCompletionContentPart[] = message.content.map((part) =>
      part.type === "text"
        ? { type: "text", text: part.text }
        : { type: "image_url", image_url: { url: `data:${part.mediaType};base64,${part.base64}` } },
    );
    messages.push({ role: "user", content });
  }
  return messages;
}
