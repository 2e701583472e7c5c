import type { PatternPart, ProcedureDefinition } from "../syntax/ast.js";
import { withoutOptionalArticles } from "./articles.js";

/** A procedure's pattern: its fixed words and inputs, and how it is shown (`approve {invoice}`). */
export interface ProcedurePattern {
  parts: PatternPart[];
  text: string;
}

const patterns = new WeakMap<ProcedureDefinition, ProcedurePattern>();

/**
 * The pattern a script's procedure is called by: `to approve an invoice` → `approve {invoice}`.
 * `a` or `an` before a word makes that word an input; articles follow the one rule of
 * `withoutOptionalArticles`. Made once per definition.
 */
export function definitionPattern(definition: ProcedureDefinition): ProcedurePattern {
  let pattern = patterns.get(definition);
  if (pattern === undefined) {
    const parts: PatternPart[] = [];
    const words = definition.name;
    for (let index = 0; index < words.length; index++) {
      const word = words[index];
      const next = words[index + 1];
      if ((word === "a" || word === "an") && next !== undefined) {
        parts.push({ kind: "slot", name: next });
        index++;
      } else {
        parts.push({ kind: "word", word });
      }
    }
    const kept = withoutOptionalArticles(parts);
    pattern = { parts: kept, text: patternText(kept) };
    patterns.set(definition, pattern);
  }
  return pattern;
}

/** Whether a pattern has a fixed word to be told apart by: inputs alone (`to a thing`) have none. */
export function hasFixedWord(pattern: ProcedurePattern): boolean {
  return pattern.parts.some((part) => part.kind === "word");
}

export function patternText(parts: readonly PatternPart[]): string {
  return parts.map((part) => (part.kind === "word" ? part.word : `{${part.name}}`)).join(" ");
}
