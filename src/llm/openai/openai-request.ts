import type {
  ChatCompletionContentPart,
  ChatCompletionCreateParamsBase,
  ChatCompletionMessageParam,
} from "openai/resources/chat/completions";
import type { GenerateRequest, ProviderType } from "../language-model.js";
import type { ReasoningLevel } from "../provider-descriptor.js";
import type { ReasoningSent } from "../reasoning-sent.js";
import { customServerReasoning, reasoningSettings } from "./reasoning-models.js";

export type ChatRequestBody = Omit<ChatCompletionCreateParamsBase, "stream">;

/** The provider's reasoning level ("off" when absent) and no-training mark, as the descriptor passes them. */
export interface ChatRequestOptions {
  reasoning?: ReasoningLevel;
  noTraining?: boolean;
}

/**
 * Translates a request into chat-completions parameters, plus warnings for settings dropped and
 * what was sent about reasoning.
 */
export function chatRequestBody(
  request: GenerateRequest,
  model: string,
  providerType: ProviderType,
  options: ChatRequestOptions = {},
): { body: ChatRequestBody; warnings: string[]; reasoning: ReasoningSent } {
  const warnings: string[] = [];
  const isOpenAi = providerType === "openai" || providerType === "azure-openai";
  const body: ChatRequestBody = { model, messages: chatMessages(request) };
  // Custom OpenAI-compatible servers may not know the newer parameters; they get the classic ones.
  const reasoning = isOpenAi ? reasoningSettings(model, options.reasoning ?? "off") : customServerReasoning;
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
  if (reasoning.effort !== undefined) body.reasoning_effort = reasoning.effort;
  if (reasoning.warning !== undefined) warnings.push(reasoning.warning);
  if (sendsStoreFalse(providerType, options.noTraining === true)) body.store = false;
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
  return { body, warnings, reasoning: reasoning.sent };
}

/**
 * `store: false` (the completion is not kept for evals or distillation): always to OpenAI; to
 * Azure OpenAI and custom servers only when the provider is marked no-training, since an Azure
 * API version older than 2024-10-01-preview, and a server that does not know the field, may
 * refuse the request with it (src/llm/README.md, "Reasoning and retention").
 */
export function sendsStoreFalse(providerType: ProviderType, noTraining: boolean): boolean {
  return providerType === "openai" || ((providerType === "azure-openai" || providerType === "custom") && noTraining);
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
