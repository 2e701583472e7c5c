import { createRequire } from "node:module";
import type { RE2JS } from "re2js";

/**
 * `X matches the pattern "…"`: JavaScript's syntax, run by RE2 (the `re2js` package, a pure
 * JavaScript port of Google's RE2), whose time grows in proportion to the text whatever the
 * pattern, so no pattern can run away (`(a+)+$` on a long line of `a`s answers at once).
 *
 * A pattern is first read by JavaScript's own `RegExp`, so what is and is not valid is
 * JavaScript's rule, then translated where the two engines read the same writing differently
 * (`.`, `\s`, `\uXXXX`). The few JavaScript features that need backtracking (backreferences,
 * lookahead and lookbehind) have no linear-time engine: they are refused with an English message.
 */

/** A pattern ready to test texts with. */
export interface CompiledPattern {
  /** Whether the pattern matches anywhere in the text (case-sensitive). */
  test(text: string): boolean;
}

/** Why a pattern cannot be used, in English, with its fix. */
export interface PatternProblem {
  problem: string;
  fix: string;
}

const compiled = new Map<string, CompiledPattern | PatternProblem>();
/** Patterns kept compiled; a script that builds patterns from data doesn't grow the cache for ever. */
const CACHE_SIZE = 500;

export function isPatternProblem(result: CompiledPattern | PatternProblem): result is PatternProblem {
  return (result as PatternProblem).problem !== undefined;
}

/** Reads and compiles a pattern once; the same text gives the same answer from the cache. */
export function compilePattern(source: string): CompiledPattern | PatternProblem {
  let result = compiled.get(source);
  if (result === undefined) {
    result = compile(source);
    if (compiled.size >= CACHE_SIZE) compiled.delete(compiled.keys().next().value!);
    compiled.set(source, result);
  }
  return result;
}

function compile(source: string): CompiledPattern | PatternProblem {
  try {
    new RegExp(source);
  } catch (problem) {
    const reason = problem instanceof Error ? problem.message.replace(/^Invalid regular expression: \/.*\/[a-z]*: /s, "") : String(problem);
    return { problem: `"${source}" is not a valid regular expression: ${lowerFirst(reason)}.`, fix: "fix: check the brackets and the characters that need a backslash (`\\.` for a dot, `\\(` for a bracket)." };
  }
  const unsupported = backtrackingFeature(source);
  if (unsupported) {
    return {
      problem: `The pattern "${source}" uses ${unsupported}, which Prose does not run: patterns run on a linear-time engine so that no pattern can hang a script.`,
      fix: "fix: write the pattern without it (for a repeated word, compare the parts in separate conditions), or test the text with `contains` / `starts with`.",
    };
  }
  try {
    const pattern = engine().compile(translate(source));
    return { test: (text) => pattern.test(text) };
  } catch (problem) {
    const reason = problem instanceof Error ? problem.message.replace(/^error parsing regexp: /, "") : String(problem);
    return { problem: `Prose's pattern engine can't run "${source}": ${reason}.`, fix: "fix: write that part another way; Prose runs JavaScript patterns on RE2, which has no backtracking (https://github.com/google/re2/wiki/Syntax)." };
  }
}

let loaded: typeof RE2JS | undefined;

/** re2js is loaded on the first pattern a script tests, not when Prose starts. */
function engine(): typeof RE2JS {
  loaded ??= (createRequire(import.meta.url)("re2js") as { RE2JS: typeof RE2JS }).RE2JS;
  return loaded;
}

/** What JavaScript accepts but only a backtracking engine can run, named for the writer; undefined when there is none. */
function backtrackingFeature(source: string): string | undefined {
  let inClass = false;
  for (let index = 0; index < source.length; index++) {
    const character = source[index];
    if (character === "\\") {
      const next = source[index + 1] ?? "";
      if (!inClass && /[1-9]/.test(next)) return `a backreference \`\\${next}\``;
      if (!inClass && next === "k" && source[index + 2] === "<") return "a named backreference `\\k<…>`";
      index++;
    } else if (character === "[") {
      inClass = true;
    } else if (character === "]") {
      inClass = false;
    } else if (!inClass && character === "(" && source[index + 1] === "?") {
      const kind = source.slice(index + 2, index + 4);
      if (kind.startsWith("=") || kind.startsWith("!")) return `a lookahead \`${source.slice(index, index + 3)}…\``;
      if (kind === "<=" || kind === "<!") return `a lookbehind \`${source.slice(index, index + 4)}…\``;
    }
  }
  return undefined;
}

/** JavaScript's `\s` (RE2's lacks \v and the Unicode spaces), as the inside of a character class. */
const javascriptSpaces = "\\t\\n\\v\\f\\r \\x{a0}\\x{1680}\\x{2000}-\\x{200a}\\x{2028}\\x{2029}\\x{202f}\\x{205f}\\x{3000}\\x{feff}";

/**
 * Rewrites what RE2 reads differently from JavaScript (without flags): `.` also stops at `\r`,
 * U+2028 and U+2029; `\s` and `\S` include the Unicode spaces; `\uXXXX` and `\u{…}` are `\x{…}`;
 * `[\b]` is a backspace; `\0` is the NUL character; `\/` is `/`.
 */
function translate(source: string): string {
  let out = "";
  let inClass = false;
  for (let index = 0; index < source.length; index++) {
    const character = source[index];
    if (character === "\\") {
      const next = source[index + 1] ?? "";
      index++;
      if (next === "u") {
        const braced = /^\{([0-9a-fA-F]+)\}/.exec(source.slice(index + 1));
        const plain = /^[0-9a-fA-F]{4}/.exec(source.slice(index + 1));
        if (braced) {
          out += `\\x{${braced[1]}}`;
          index += braced[0].length;
          continue;
        }
        if (plain) {
          out += `\\x{${plain[0]}}`;
          index += 4;
          continue;
        }
        out += "u";
      } else if (next === "s") {
        out += inClass ? javascriptSpaces : `[${javascriptSpaces}]`;
      } else if (next === "S" && !inClass) {
        out += `[^${javascriptSpaces}]`;
      } else if (next === "b" && inClass) {
        out += "\\x{8}";
      } else if (next === "0" && !/[0-9]/.test(source[index + 1] ?? "")) {
        out += "\\x{0}";
      } else if (next === "/") {
        out += "/";
      } else {
        out += `\\${next}`;
      }
    } else if (character === "[" && !inClass) {
      inClass = true;
      out += character;
      // `[]` and `[^]` are JavaScript's empty class and "any character"; a `]` first is literal in RE2.
      if (source[index + 1] === "^") {
        out += "^";
        index++;
      }
      if (source[index + 1] === "]") {
        out = out.endsWith("[^") ? `${out.slice(0, -2)}[\\x{0}-\\x{10ffff}]` : `${out.slice(0, -1)}[^\\x{0}-\\x{10ffff}]`;
        index++;
        inClass = false;
      }
    } else if (character === "]" && inClass) {
      inClass = false;
      out += character;
    } else if (character === "." && !inClass) {
      out += "[^\\n\\r\\x{2028}\\x{2029}]";
    } else {
      out += character;
    }
  }
  return out;
}

function lowerFirst(text: string): string {
  return text.length === 0 ? text : text[0].toLowerCase() + text.slice(1);
}
