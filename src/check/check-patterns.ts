import type { Statement } from "../syntax/ast.js";
import { error } from "../syntax/diagnostic.js";
import { expressionsOf, expressionsWithin, statementsIn } from "../syntax/walk.js";
import type { CheckedProgram } from "./check-script.js";
import { compilePattern, isPatternProblem } from "./regular-expression.js";

/**
 * `matches the pattern "…"` with the pattern written in quotes: a pattern that is not valid, or
 * that only a backtracking engine could run, is reported before the script runs. A pattern held
 * in a fact is checked when the condition runs.
 */
export function checkPatterns(bodies: ReadonlyArray<readonly Statement[]>, program: Pick<CheckedProgram, "calls" | "diagnostics" | "sources">): void {
  const heldIn = new Set<string>();
  for (const body of bodies) {
    for (const statement of statementsIn(body)) {
      const roots = [...expressionsOf(statement)];
      if (statement.kind === "call") roots.push(...(program.calls.get(statement)?.arguments.values() ?? []));
      for (const root of roots) {
        for (const expression of expressionsWithin(root)) {
          if (expression.kind !== "comparison" || expression.operator !== "matches") continue;
          const pattern = expression.right;
          if (pattern.kind === "reference" && pattern.reference.segments.length === 1) heldIn.add(pattern.reference.segments[0].name);
          if (pattern.kind !== "text" || pattern.parts.some((part) => typeof part !== "string")) continue;
          const compiled = compilePattern((pattern.parts as string[]).join(""));
          if (isPatternProblem(compiled)) program.diagnostics.push(error("bad-pattern", pattern.span, compiled.problem, [compiled.fix]));
        }
      }
    }
  }
  if (heldIn.size > 0) for (const body of bodies) checkHeldPatterns(body, heldIn, program);
}

/**
 * `the code pattern is "^INV-\d{4}$"` then `matches the code pattern`: the fact is a text, in
 * which `\d` is `d` and `{4}` the number 4, so the pattern it holds is not the one written. Such
 * a text is reported, with the way to write it.
 */
function checkHeldPatterns(body: readonly Statement[], heldIn: ReadonlySet<string>, program: Pick<CheckedProgram, "diagnostics" | "sources">): void {
  for (const statement of statementsIn(body)) {
    if (statement.kind !== "assign" || statement.target.segments.length !== 1 || statement.value.kind !== "text") continue;
    const name = statement.target.segments[0].name;
    if (!heldIn.has(name)) continue;
    const span = statement.value.span;
    const written = program.sources.get(span.file)?.slice(span.start.offset, span.end.offset) ?? "";
    const lost = lostInText(written);
    if (!lost) continue;
    program.diagnostics.push(
      error("bad-pattern", span, `This text is used as a pattern (\`matches the ${name}\`), but in a text ${lost.why}, so the pattern would not be the one written.`, [
        `fix: write ${lost.instead} in the text, or write the pattern in quotes right after \`matches the pattern\`, where it is read as written.`,
      ]),
    );
  }
}

/** What a text literal's escapes or braces change from what was written, for a pattern; undefined when nothing. */
function lostInText(written: string): { why: string; instead: string } | undefined {
  for (let index = 1; index < written.length - 1; index++) {
    const character = written[index];
    if (character === "\\") {
      const next = written[index + 1];
      if (next !== "\\" && next !== '"' && next !== "n" && next !== "t") return { why: `\`\\${next}\` is just \`${next}\``, instead: `\`\\\\${next}\`` };
      index++;
    } else if (character === "{") {
      if (written[index + 1] === "{") {
        index++;
        continue;
      }
      const braces = /^\{\s*\d+\s*(,\s*\d*\s*)?\}/.exec(written.slice(index));
      if (braces) return { why: `\`${braces[0]}\` puts the number in the text`, instead: `\`{${braces[0]}}\`` };
    }
  }
  return undefined;
}
