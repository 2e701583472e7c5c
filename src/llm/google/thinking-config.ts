import type { ThinkingConfig, ThinkingLevel } from "@google/genai";
import type { ReasoningLevel } from "../provider-descriptor.js";
import type { ReasoningSent } from "../reasoning-sent.js";

/** The thinking budget sent for reasoning "low" to the Gemini 2.5 models. */
export const lowThinkingBudget = 1024;

export interface GeminiThinking {
  thinkingConfig?: ThinkingConfig;
  warning?: string;
  sent: ReasoningSent;
}

/**
 * The thinking of a Gemini model (Gemini API and Vertex alike). Off: budget 0 for 2.5 Flash and
 * Flash-Lite, the minimum budget (128) for 2.5 Pro, the lowest level for Gemini 3 (MINIMAL for
 * Flash, LOW for Pro). Low: a budget of 1024 tokens for 2.5, the LOW level for Gemini 3. Nothing
 * for models that do not think (2.0 and older).
 */
export function geminiThinking(model: string, level: ReasoningLevel = "off"): GeminiThinking {
  const name = model.toLowerCase().split("/").pop() ?? "";
  const is25 = /^gemini-2\.5-/.test(name);
  const is3 = /^gemini-3/.test(name);
  if (!is25 && !is3) return { sent: { control: "none", detail: "the model does not think: no thinkingConfig sent" } };
  if (level === "low") {
    return is25
      ? { thinkingConfig: { thinkingBudget: lowThinkingBudget }, sent: { control: "low", detail: `thinkingBudget ${lowThinkingBudget}` } }
      : { thinkingConfig: { thinkingLevel: "LOW" as ThinkingLevel }, sent: { control: "low", detail: "thinkingLevel LOW" } };
  }
  if (/^gemini-2\.5-pro/.test(name)) {
    return {
      thinkingConfig: { thinkingBudget: 128 },
      warning: `Model "${model}" cannot turn thinking off; it thinks with the lowest budget (128 tokens).`,
      sent: { control: "lowest", detail: "thinkingBudget 128" },
    };
  }
  if (is25) return { thinkingConfig: { thinkingBudget: 0 }, sent: { control: "off", detail: "thinkingBudget 0" } };
  if (/^gemini-3(\.\d+)?-flash/.test(name)) return { thinkingConfig: { thinkingLevel: "MINIMAL" as ThinkingLevel }, sent: { control: "lowest", detail: "thinkingLevel MINIMAL" } };
  return {
    thinkingConfig: { thinkingLevel: "LOW" as ThinkingLevel },
    warning: `Model "${model}" cannot turn thinking off; it thinks at the low level.`,
    sent: { control: "lowest", detail: "thinkingLevel LOW" },
  };
}
