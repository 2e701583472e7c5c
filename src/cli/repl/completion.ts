import type { Phrasebook } from "../../check/phrasebook.js";

/** What completion draws from; read anew at every Tab, so new procedures and facts show at once. */
export interface CompletionSources {
  phrasebook(): Phrasebook;
  factNames(): Iterable<string>;
  commands: readonly string[];
}

/**
 * Tab completion, as node:readline wants it: the candidates and the end of the line they replace.
 * At the start of a line: procedure phrases (up to their first slot) and `:` commands; after
 * `the`: the session's fact names.
 */
export function complete(line: string, sources: CompletionSources): [string[], string] {
  const start = line.trimStart();
  if (start.startsWith(":")) return [sources.commands.filter((command) => command.startsWith(start)), start];
  const fact = /\bthe\s+([^"]*)$/i.exec(line);
  if (fact) {
    const typed = fact[1].toLowerCase().replace(/\s+/g, " ");
    const names = [...sources.factNames()].filter((name) => name.startsWith(typed)).sort();
    if (names.length > 0) return [names.map((name) => `${fact[0].slice(0, fact[0].length - fact[1].length)}${name}`), fact[0]];
  }
  const typed = start.toLowerCase().replace(/\s+/g, " ");
  const phrases = new Set<string>();
  for (const entry of sources.phrasebook().entries) {
    const phrase = phraseOf(entry.patternText);
    if (phrase.startsWith(typed) && phrase !== typed) phrases.add(phrase);
  }
  return [[...phrases].sort(), start];
}

/** `translate {text} to {language}` → `translate `: the fixed words a person types before the first slot. */
export function phraseOf(patternText: string): string {
  const words: string[] = [];
  for (const word of patternText.trim().split(/\s+/)) {
    if (word.startsWith("{")) return `${words.join(" ")} `;
    words.push(word);
  }
  return words.join(" ");
}
