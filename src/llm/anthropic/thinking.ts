import type { ReasoningLevel } from "../provider-descriptor.js";
import type { ReasoningSent } from "../reasoning-sent.js";

/** The smallest thinking budget Anthropic accepts ("must be ≥1024 and less than max_tokens"). */
export const lowThinkingBudget = 1024;

/** The `thinking` field of a Claude request, on the Anthropic API and on Bedrock. */
export type ClaudeThinking = { type: "disabled" } | { type: "enabled"; budget_tokens: number };

export interface ClaudeThinkingRule {
  /** Absent for a model without extended thinking. */
  thinking?: ClaudeThinking;
  /** The request's `max_tokens`: the answer's bound, plus the budget when thinking is on (thinking counts in it). */
  maxTokens: number;
  warning?: string;
  sent: ReasoningSent;
}

/** Claude models before 3.7 have no extended thinking, and get no `thinking` field. */
export function claudeThinks(model: string): boolean {
  const name = model.toLowerCase();
  return !/claude-(instant|2|3-(opus|sonnet|haiku)|3-5-)/.test(name);
}

/**
 * The thinking of one Claude request: off sends `{type: "disabled"}`; low the smallest budget,
 * with `max_tokens` raised by it. Anthropic refuses thinking with a forced tool (structured output
 * and JSON mode are one), so such a request keeps thinking disabled and says so. Used by the
 * Anthropic adapter and, for Claude models, by Bedrock (`additionalModelRequestFields.thinking`).
 */
export function claudeThinking(model: string, level: ReasoningLevel, request: { maxTokens: number; forcedTool: boolean }): ClaudeThinkingRule {
  if (!claudeThinks(model)) {
    return { maxTokens: request.maxTokens, sent: { control: "none", detail: "the model has no extended thinking: no thinking field sent" } };
  }
  if (level === "low" && request.forcedTool) {
    return {
      thinking: { type: "disabled" },
      maxTokens: request.maxTokens,
      warning: `Reasoning "low" was not used: Claude allows no thinking when a tool is forced, as it is for a structured or JSON answer; thinking was disabled.`,
      sent: { control: "off", detail: "thinking disabled: a forced tool allows none" },
    };
  }
  if (level === "low") {
    return {
      thinking: { type: "enabled", budget_tokens: lowThinkingBudget },
      maxTokens: request.maxTokens + lowThinkingBudget,
      sent: { control: "low", detail: `thinking enabled, budget_tokens ${lowThinkingBudget}` },
    };
  }
  return { thinking: { type: "disabled" }, maxTokens: request.maxTokens, sent: { control: "off", detail: "thinking disabled" } };
}
