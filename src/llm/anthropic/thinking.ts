import type { ReasoningLevel } from "../provider-descriptor.js";
import type { ReasoningSent } from "../reasoning-sent.js";

/** The smallest thinking budget Anthropic accepts ("must be ≥1024 and less than max_tokens"). */
export const lowThinkingBudget = 1024;

/** The `thinking` field of a Claude request, on the Anthropic API and on Bedrock. */
export type ClaudeThinking = { type: "disabled" } | { type: "enabled"; budget_tokens: number } | { type: "adaptive" };

export interface ClaudeThinkingRule {
  /** Absent for a model without extended thinking. */
  thinking?: ClaudeThinking;
  /** `output_config`, with adaptive thinking: its effort. */
  outputConfig?: { effort: "low" };
  /** The request's `max_tokens`: the answer's bound, plus the budget when thinking is on (thinking counts in it). */
  maxTokens: number;
  warning?: string;
  sent: ReasoningSent;
}

/**
 * How a Claude model takes thinking, from its id (`claude-sonnet-4-5`, `claude-3-7-sonnet-…`,
 * `anthropic.claude-opus-4-7`): `none` before 3.7; `budget` (disabled, or enabled with a budget)
 * from 3.7 to 4.6; `adaptive` from 4.7, for Claude 5 and the Mythos and Fable families, which
 * refuse the budget form and may refuse `disabled` too. An id without a version keeps the budget form.
 */
export function claudeThinkingForm(model: string): "none" | "budget" | "adaptive" {
  const name = model.toLowerCase();
  if (/claude-(instant|v?\d(\.\d)?(?![\d-]))/.test(name) || /claude-v?2/.test(name)) return "none";
  if (/claude-(mythos|fable)/.test(name)) return "adaptive";
  const version = /claude-(\d+)(?:-(\d))?-(?:opus|sonnet|haiku)/.exec(name) ?? /claude-[a-z]+-(\d+)(?:-(\d{1,2})(?![\d]))?/.exec(name);
  if (version === null) return "budget";
  const major = Number(version[1]);
  const minor = version[2] === undefined ? 0 : Number(version[2]);
  if (major < 3 || (major === 3 && minor < 7)) return "none";
  if (major > 4 || (major === 4 && minor >= 7)) return "adaptive";
  return "budget";
}

/**
 * The thinking of one Claude request. Budget-form models: off sends `{type: "disabled"}`; low the
 * smallest budget, with `max_tokens` raised by it. Adaptive models cannot turn thinking off: off
 * and low both send `{type: "adaptive"}` with `output_config.effort: "low"` (off with a warning).
 * Anthropic refuses thinking with a forced tool (structured output and JSON mode are one): a
 * budget-form request then keeps thinking disabled, an adaptive one sends no thinking field, and
 * low says so. Used by the Anthropic adapter and, for Claude models, by Bedrock
 * (`additionalModelRequestFields`).
 */
export function claudeThinking(model: string, level: ReasoningLevel, request: { maxTokens: number; forcedTool: boolean }): ClaudeThinkingRule {
  const form = claudeThinkingForm(model);
  const maxTokens = request.maxTokens;
  if (form === "none") return { maxTokens, sent: { control: "none", detail: "the model has no extended thinking: no thinking field sent" } };
  const forcedToolWarning = `Reasoning "low" was not used: Claude allows no thinking when a tool is forced, as it is for a structured or JSON answer; thinking was ${form === "budget" ? "disabled" : "left to the model"}.`;
  if (form === "adaptive") {
    if (request.forcedTool) {
      return {
        maxTokens,
        ...(level === "low" ? { warning: forcedToolWarning } : {}),
        sent: { control: "default", detail: "no thinking field: the model cannot turn thinking off, and a forced tool allows no thinking setting" },
      };
    }
    return {
      thinking: { type: "adaptive" },
      outputConfig: { effort: "low" },
      maxTokens,
      ...(level === "off" ? { warning: `Model "${model}" cannot turn thinking off; it thinks adaptively at the low effort.` } : {}),
      sent: { control: level === "off" ? "lowest" : "low", detail: 'thinking adaptive, output_config.effort "low"' },
    };
  }
  if (level === "low" && request.forcedTool) {
    return { thinking: { type: "disabled" }, maxTokens, warning: forcedToolWarning, sent: { control: "off", detail: "thinking disabled: a forced tool allows none" } };
  }
  if (level === "low") {
    return {
      thinking: { type: "enabled", budget_tokens: lowThinkingBudget },
      maxTokens: maxTokens + lowThinkingBudget,
      sent: { control: "low", detail: `thinking enabled, budget_tokens ${lowThinkingBudget}` },
    };
  }
  return { thinking: { type: "disabled" }, maxTokens, sent: { control: "off", detail: "thinking disabled" } };
}
