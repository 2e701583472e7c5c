import type { ReasoningLevel } from "../provider-descriptor.js";
import type { ReasoningSent } from "../reasoning-sent.js";

/** How an OpenAI model reasons, and the `reasoning_effort` sent for the reasoning asked. */
export interface ReasoningSettings {
  /** Reasoning models accept no temperature other than the default. */
  isReasoningModel: boolean;
  /** The effort to send; undefined sends none. */
  effort?: "none" | "minimal" | "low";
  /** Set when the model cannot lower its reasoning as asked. */
  warning?: string;
  /** What is reported of it (`byom verify`). */
  sent: ReasoningSent;
}

/**
 * The rules of one OpenAI model. Reasoning off sends the lowest effort the model accepts (`none`
 * for GPT-5.1 and later, `minimal` for GPT-5, `low` for the o-series); low sends `low`. Models
 * that accept no effort (o1-mini, o1-preview, the -pro models) get none and a warning; models
 * that do not reason get no field. Azure deployment names follow the model id (BYOM requires
 * it), so the same rules apply to them.
 */
export function reasoningSettings(model: string, level: ReasoningLevel = "off"): ReasoningSettings {
  const name = model.toLowerCase();
  const notReasoning: ReasoningSettings = { isReasoningModel: false, sent: { control: "none", detail: "not a reasoning model: no reasoning_effort sent" } };
  if (/^gpt-5(\.\d+)?-chat/.test(name)) return notReasoning;
  if (/^(o\d|gpt-5)[\w.-]*-pro\b/.test(name)) {
    return {
      isReasoningModel: true,
      warning: `Model "${model}" cannot lower its reasoning effort; it reasons at its default effort.`,
      sent: { control: "default", detail: "it accepts no lower reasoning_effort: none sent" },
    };
  }
  if (/^o1-(mini|preview)/.test(name)) {
    return {
      isReasoningModel: true,
      warning: `Model "${model}" accepts no reasoning effort; it reasons at its default effort.`,
      sent: { control: "default", detail: "it accepts no reasoning_effort: none sent" },
    };
  }
  const lowest = /^o\d/.test(name) ? "low" : /^gpt-5\.\d/.test(name) ? "none" : /^gpt-5/.test(name) ? "minimal" : undefined;
  if (lowest === undefined) return notReasoning;
  if (level === "low") return { isReasoningModel: true, effort: "low", sent: { control: "low", detail: 'reasoning_effort "low"' } };
  return { isReasoningModel: true, effort: lowest, sent: { control: lowest === "none" ? "off" : "lowest", detail: `reasoning_effort "${lowest}"` } };
}

/** Custom OpenAI-compatible servers get no reasoning field: they may not know it, and refuse a request with it. */
export const customServerReasoning: ReasoningSettings = {
  isReasoningModel: false,
  sent: { control: "none", detail: "a custom OpenAI-compatible server gets no reasoning_effort" },
};
