import type { Statement } from "../syntax/ast.js";
import { error, type Diagnostic } from "../syntax/diagnostic.js";
import { pluralOf } from "../syntax/plurals.js";
import { expressionsOf, expressionsWithin, rootName, statementsIn } from "../syntax/walk.js";
import { suggestNames } from "./suggest.js";

/**
 * With the agent's secret names (`prose check --agent`): a credential named by a literal —
 * `the credential "crm token"`, or a call's block line `the credential is "crm token"` — that the
 * agent does not have is an error. Names compare trimmed, single-spaced and lower-cased, as
 * `prose secret add` stores them. A name made at run time is the run's to check.
 */
export function credentialProblems(statements: readonly Statement[], secretNames: readonly string[]): Diagnostic[] {
  const problems: Diagnostic[] = [];
  const known = new Set(secretNames.map(normalName));
  const report = (name: string, span: Diagnostic["span"]) => {
    if (known.has(normalName(name))) return;
    const close = suggestNames(normalName(name), [...known]).map((candidate) => `did you mean: "${candidate}"`);
    const has = known.size === 0 ? "the agent has no secrets yet" : `its secrets are ${[...known].map((candidate) => `"${candidate}"`).join(", ")}`;
    problems.push(error("unknown-credential", span, `The agent has no secret named "${name}"; ${has}.`, [...close, `fix: add it with \`prose secret add "${name}" --stdin\` (or --env VAR, --file F), or use one of its names (\`prose secret list\`).`]));
  };
  for (const statement of statementsIn(statements)) {
    for (const expression of expressionsOf(statement)) {
      for (const inner of expressionsWithin(expression)) if (inner.kind === "credential") report(inner.name, inner.span);
    }
    if (statement.kind !== "call") continue;
    for (const line of statement.block) {
      if (rootName(line.target, pluralOf) !== "credential" || line.value.kind !== "text") continue;
      if (line.value.parts.some((part) => typeof part !== "string")) continue;
      report((line.value.parts as string[]).join("").trim(), line.value.span);
    }
  }
  return problems;
}

function normalName(name: string): string {
  return name.trim().replace(/\s+/g, " ").toLowerCase();
}
