import { displayFact } from "../../runtime/display.js";
import { spokenName } from "../../syntax/proper-names.js";
import type { Phrasebook } from "../../check/phrasebook.js";
import type { Fact } from "../../runtime/values.js";

export const commandNames = [":help", ":facts", ":procedures", ":load", ":reset", ":quit"] as const;

export const helpText = `Type Prose lines; each input runs at once and keeps its facts and procedures.
A line that opens a block (\`to …\`, \`if …\`, a loop, or a line ending with \`:\`) goes on until a blank line.
  :help             this help
  :facts            the facts known so far
  :procedures       the procedures you can call, with what they do
  :load FILE        run a script in this session (its facts and procedures stay)
  :reset            forget every fact and procedure defined in this session
  :quit             leave (also Ctrl-D)
Tab completes procedure phrases and fact names; questions are asked here, at the prompt.`;

/** `the total is 1200`, one line per fact, in the order they were first set. */
export function factLines(facts: ReadonlyMap<string, Fact>): string[] {
  if (facts.size === 0) return ["No facts yet."];
  return [...facts].map(([name, fact]) => `${spokenName([name])} ${fact.value.kind === "list" ? "are" : "is"} ${shown(fact)}`);
}

function shown(fact: Fact): string {
  const value = displayFact(fact);
  return fact.value.kind === "text" ? `"${value}"` : value;
}

/** The phrasebook: the session's own procedures first, then the standard library, with descriptions. */
export function procedureLines(phrasebook: Phrasebook): string[] {
  const own = phrasebook.entries.filter((entry) => entry.definition);
  const standard = phrasebook.entries.filter((entry) => !entry.definition);
  const line = (entry: (typeof own)[number]) => `  ${entry.patternText}  — ${entry.description}`;
  return [...(own.length > 0 ? ["Your procedures:", ...own.map(line)] : []), "Standard procedures:", ...standard.map(line)];
}
