import type { ContentBlock, ConverseRequest, ImageFormat, Message } from "@aws-sdk/client-bedrock-runtime";
import type { GenerateRequest } from "../language-model.js";
import type { ReasoningLevel } from "../provider-descriptor.js";
import type { ReasoningSent } from "../reasoning-sent.js";
import { structuredOutputToolDescription } from "../structured-output-tool.js";
import { bedrockReasoning } from "./reasoning-fields.js";

export type ConverseInput = Omit<ConverseRequest, "modelId"> & { modelId: string };

const imageFormats: Record<string, ImageFormat> = {
  "image/png": "png",
  "image/jpeg": "jpeg",
  "image/jpg": "jpeg",
  "image/gif": "gif",
  "image/webp": "webp",
};

/**
 * Translates a request into Converse input. Structured output is one tool
 * whose input schema is the JSON schema, forced with `toolChoice: {tool: {name}}`. Reasoning is
 * a model-specific field (reasoning-fields.ts).
 */
export function converseInput(request: GenerateRequest, model: string, level: ReasoningLevel = "off"): { input: ConverseInput; warnings: string[]; reasoning: ReasoningSent } {
  const warnings: string[] = [];
  const messages: Message[] = request.messages.map((message) => ({
    role: message.role,
    content: message.content.flatMap((part): ContentBlock[] => {
      if (part.type === "text") return [{ text: part.text }];
      const format = imageFormats[part.mediaType.toLowerCase()];
      if (format === undefined) {
        warnings.push(`Bedrock accepts PNG, JPEG, GIF and WebP images; an image of type ${part.mediaType} was left out.`);
        return [];
      }
      return [{ image: { format, source: { bytes: Buffer.from(part.base64, "base64") } } }];
    }),
  }));
  const input: ConverseInput = { modelId: model, messages };
  if (request.system !== undefined && request.system !== "") input.system = [{ text: request.system }];
  const reasoning = bedrockReasoning(model, level, {
    forcedTool: request.structuredOutput !== undefined,
    ...(request.maxOutputTokens === undefined ? {} : { maxOutputTokens: request.maxOutputTokens }),
    ...(request.temperature === undefined ? {} : { temperature: request.temperature }),
  });
  const inferenceConfig: NonNullable<ConverseRequest["inferenceConfig"]> = {};
  if (request.temperature !== undefined && reasoning.dropTemperature !== true) inferenceConfig.temperature = request.temperature;
  if (request.maxOutputTokens !== undefined) inferenceConfig.maxTokens = request.maxOutputTokens;
  if (reasoning.maxTokens !== undefined) inferenceConfig.maxTokens = reasoning.maxTokens;
  if (reasoning.additionalModelRequestFields !== undefined) input.additionalModelRequestFields = reasoning.additionalModelRequestFields as never;
  if (reasoning.warning !== undefined) warnings.push(reasoning.warning);
  if (Object.keys(inferenceConfig).length > 0) input.inferenceConfig = inferenceConfig;
  const structured = request.structuredOutput;
  if (structured !== undefined) {
    input.toolConfig = {
      tools: [
        {
          toolSpec: {
            name: structured.name,
            description: structuredOutputToolDescription(structured),
            inputSchema: { json: structured.jsonSchema as never },
          },
        },
      ],
      toolChoice: { tool: { name: structured.name } },
    };
  }
  return { input, warnings, reasoning: reasoning.sent };
}
