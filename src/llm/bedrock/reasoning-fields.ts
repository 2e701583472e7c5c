import { claudeThinking } from "../anthropic/thinking.js";
import type { ReasoningLevel } from "../provider-descriptor.js";
import type { ReasoningSent } from "../reasoning-sent.js";

/** The answer's bound of a Claude request that thinks and names none (as on the Anthropic API). */
const defaultClaudeMaxTokens = 4096;

export interface BedrockReasoning {
  /** Put in Converse's `additionalModelRequestFields`, passed to the model as it is. */
  additionalModelRequestFields?: Record<string, unknown>;
  /** Set when thinking needs a larger `inferenceConfig.maxTokens` than the request's. */
  maxTokens?: number;
  /** Claude refuses a temperature other than 1 while it thinks: the temperature is then left out. */
  dropTemperature?: boolean;
  warning?: string;
  sent: ReasoningSent;
}

/** The model id without an inference profile's region (`us.`, `global.`) or an ARN's head. */
function modelName(model: string): string {
  return (model.split("/").pop() ?? model).toLowerCase().replace(/^(us|eu|apac|global|us-gov|jp|au|ca)\./, "");
}

/**
 * Bedrock's Converse API has no reasoning field of its own: it is model-specific, in
 * `additionalModelRequestFields`. Anthropic Claude models take Anthropic's `thinking` (disabled,
 * enabled with the smallest budget, or adaptive with `output_config.effort: "low"` for the models
 * that cannot turn it off; never with a forced tool: anthropic/thinking.ts); Amazon Nova 2 models take
 * `reasoningConfig` (disabled, or enabled with `maxReasoningEffort: "low"`); other models
 * (Nova 1, Llama, Mistral…) get nothing.
 */
export function bedrockReasoning(model: string, level: ReasoningLevel, request: { maxOutputTokens?: number; forcedTool: boolean; temperature?: number }): BedrockReasoning {
  const name = modelName(model);
  if (name.startsWith("anthropic.claude")) {
    const rule = claudeThinking(name, level, { maxTokens: request.maxOutputTokens ?? defaultClaudeMaxTokens, forcedTool: request.forcedTool });
    if (rule.thinking === undefined) return { sent: rule.sent };
    const thinks = rule.thinking.type !== "disabled";
    const dropTemperature = thinks && request.temperature !== undefined && request.temperature !== 1;
    const warnings = [
      ...(rule.warning === undefined ? [] : [rule.warning]),
      ...(dropTemperature ? [`Claude accepts no temperature while it thinks; the temperature ${request.temperature} was ignored.`] : []),
    ];
    return {
      additionalModelRequestFields: { thinking: rule.thinking, ...(rule.outputConfig === undefined ? {} : { output_config: rule.outputConfig }) },
      // A budget counts in the bound, which must exceed it: the request's bound (or 4096) plus the budget.
      ...(rule.thinking.type === "enabled" ? { maxTokens: rule.maxTokens } : {}),
      ...(dropTemperature ? { dropTemperature } : {}),
      ...(warnings.length === 0 ? {} : { warning: warnings.join(" ") }),
      sent: rule.sent,
    };
  }
  if (/^amazon\.nova-2-/.test(name)) {
    return level === "low"
      ? { additionalModelRequestFields: { reasoningConfig: { type: "enabled", maxReasoningEffort: "low" } }, sent: { control: "low", detail: 'reasoningConfig enabled, maxReasoningEffort "low"' } }
      : { additionalModelRequestFields: { reasoningConfig: { type: "disabled" } }, sent: { control: "off", detail: "reasoningConfig disabled" } };
  }
  return { sent: { control: "none", detail: "Bedrock sends a reasoning field only to Claude and Nova 2 models" } };
}
