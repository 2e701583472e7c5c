import type { ThinkingConfig, ThinkingLevel } from "@google/genai";

/**
 * The lowest thinking a Gemini model allows: off (budget 0) for 2.5 Flash and
 * Flash-Lite, the minimum budget for 2.5 Pro, the lowest level for Gemini 3;
 * nothing for models that do not think.
 */
export function lowestThinking(model: string): { thinkingConfig?: ThinkingConfig; warning?: string } {
  const name = model.toLowerCase().split("/").pop() ?? "";
  if (/^gemini-2\.5-pro/.test(name)) {
    return {
      thinkingConfig: { thinkingBudget: 128 },
      warning: `Model "${model}" cannot turn thinking off; it thinks with the lowest budget (128 tokens).`,
    };
  }
  if (/^gemini-2\.5-flash/.test(name)) return { thinkingConfig: { thinkingBudget: 0 } };
  if (/^gemini-3(\.\d+)?-flash/.test(name)) return { thinkingConfig: { thinkingLevel: "MINIMAL" as ThinkingLevel } };
  if (/^gemini-3/.test(name)) {
    return {
      thinkingConfig: { thinkingLevel: "LOW" as ThinkingLevel },
      warning: `Model "${model}" cannot turn thinking off; it thinks at the low level.`,
    };
  }
  return {};
}
