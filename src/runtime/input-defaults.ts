import type { Assignment, Reference, Statement } from "../syntax/ast.js";
import { referencesIn } from "../syntax/walk.js";
import { readReference } from "./references.js";
import type { Scope } from "./scope.js";
import type { Fact } from "./values.js";

/**
 * Inputs win over a script's defaults: a top-level line that sets a fact which `--input` gave is
 * skipped while the fact still holds the input's value, so a script carries its defaults
 * (`the income tax rate is 22.5%`) and the command line overrides them. Lines inside an `if`, a
 * loop or a procedure are the script's work, not its defaults, and always run; so does a line
 * that reads the fact it sets (`the total is the total + 5`), and any line once the fact has
 * been changed by something else.
 */
export class InputDefaults {
  /** The fact each input left under its name, by the name's words ("invoice's total"). */
  private readonly given = new Map<string, Fact>();

  constructor(private readonly topLevel: ReadonlySet<Statement>) {}

  /** Remembers the fact an input stored (undefined when it picked a list item: never skipped). */
  record(reference: Reference, stored: Fact | undefined): void {
    if (stored !== undefined && !reference.segments.some((segment) => segment.ordinal)) this.given.set(nameOf(reference), stored);
  }

  /** Whether this assignment is a default that an input overrides. */
  overridden(statement: Assignment, scope: Scope): boolean {
    if (this.given.size === 0 || !this.topLevel.has(statement)) return false;
    const name = nameOf(statement.target);
    const input = this.given.get(name);
    if (input === undefined || current(statement.target, scope) !== input) return false;
    for (const read of referencesIn(statement.value)) {
      if (name === nameOf(read) || name.startsWith(`${nameOf(read)}'s `) || nameOf(read).startsWith(`${name}'s `)) return false;
    }
    return true;
  }
}

function nameOf(reference: Reference): string {
  return reference.segments.map((segment) => segment.name).join("'s ");
}

function current(reference: Reference, scope: Scope): Fact | undefined {
  try {
    return readReference(reference, scope);
  } catch {
    return undefined;
  }
}
