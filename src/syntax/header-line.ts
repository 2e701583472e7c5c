import type { Assignment } from "./ast.js";
import { credentialNameOf } from "./build-expression.js";
import { tokenSpan } from "./cst-helpers.js";
import type { SourceLine } from "./source-lines.js";
import * as T from "../../grammar/tokens.js";

/**
 * `the header "X-Api-Key" is …` in a call's block (a web request's header): the line is read as
 * `the header is …` and then named `the header`'s attribute `x-api-key`, so several header lines
 * gather under one block fact, `header`, one attribute per header (names lower-cased: HTTP header
 * names do not depend on case).
 */
export interface HeaderLine {
  /** The line without the quoted name, to parse as an assignment. */
  line: SourceLine;
  /** Moves the parsed assignment to `the header`'s attribute. */
  retarget(assignment: Assignment, file: string): void;
}

export function headerLine(line: SourceLine): HeaderLine | undefined {
  const [the, word, name, is] = line.tokens;
  if (the?.tokenType !== T.The || word?.tokenType !== T.Identifier || word.image.toLowerCase() !== "header" || name?.tokenType !== T.Text || is?.tokenType !== T.Is) return undefined;
  const written = credentialNameOf(name.image);
  return {
    line: { ...line, tokens: [the, word, ...line.tokens.slice(3)] },
    retarget(assignment, file) {
      const span = tokenSpan(file, the, name);
      assignment.target = {
        segments: [
          { name: "header", span: tokenSpan(file, the, word) },
          { name: written.toLowerCase(), span: tokenSpan(file, name) },
        ],
        text: `the header "${written}"`,
        span,
      };
    },
  };
}

/**
 * `the failure is allowed` (a web request's block): `allowed` is a word of the line, not a fact
 * the script sets, so the line is read as `the failure is true`.
 */
export function allowedLine(line: SourceLine): SourceLine | undefined {
  const [the, word, is, allowed, ...rest] = line.tokens;
  if (rest.length > 0 || the?.tokenType !== T.The || word?.tokenType !== T.Identifier || word.image.toLowerCase() !== "failure" || is?.tokenType !== T.Is) return undefined;
  if (allowed?.tokenType !== T.Identifier || allowed.image.toLowerCase() !== "allowed") return undefined;
  return { ...line, tokens: [the, word, is, { ...allowed, tokenType: T.True, tokenTypeIdx: T.True.tokenTypeIdx ?? allowed.tokenTypeIdx }] };
}
