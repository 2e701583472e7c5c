import type { Expression, Reference, Statement } from "./ast.js";

/**
 * Every statement in a list, depth first, including those in blocks (not in call blocks), as an
 * array: the passes of check walk every statement several times, and an array built once with a
 * stack of its own costs less than generators nested as deep as the blocks.
 */
export function statementsIn(statements: readonly Statement[]): Statement[] {
  const found: Statement[] = [];
  // Lists still to walk, each with the place reached in it: a block is walked before the rest of its list.
  const lists: Array<readonly Statement[]> = [statements];
  const places: number[] = [0];
  while (lists.length > 0) {
    const top = lists.length - 1;
    const list = lists[top];
    const place = places[top];
    if (place >= list.length) {
      lists.pop();
      places.pop();
      continue;
    }
    places[top] = place + 1;
    const statement = list[place];
    found.push(statement);
    switch (statement.kind) {
      case "if": {
        // Pushed last first, so the first branch is walked first.
        if (statement.otherwise) {
          lists.push(statement.otherwise);
          places.push(0);
        }
        for (let index = statement.branches.length - 1; index >= 0; index--) {
          lists.push(statement.branches[index].body);
          places.push(0);
        }
        break;
      }
      case "each":
      case "repeat":
        lists.push(statement.body);
        places.push(0);
        break;
    }
  }
  return found;
}

/**
 * Every expression a statement holds directly, as written (not those of nested statements): a
 * loop that names no list holds none, an `ask` holds its prompt and its block's values.
 */
export function expressionsOf(statement: Statement): Expression[] {
  switch (statement.kind) {
    case "assign": return [statement.value];
    case "say": return [statement.value];
    case "if": return statement.branches.map((branch) => branch.condition);
    case "each": return statement.collection ? [statement.collection] : [];
    case "repeat": return [statement.count];
    case "ask": return [statement.prompt, ...statement.block.map((line) => line.value)];
    case "validate": return statement.checks.map((check) => check.condition);
    case "fail": return statement.message ? [statement.message] : [];
    case "learn": return [statement.path];
    case "name": return [statement.value];
    case "call": return statement.block.map((line) => line.value);
    case "stop": return [];
  }
}

/**
 * Every expression within an expression, itself first, in the order written. A long chain
 * (`1 + 2 + … + 30000`) is a tree as deep as it is long, so it is walked with a stack of its
 * own, not by recursion.
 */
export function expressionsWithin(expression: Expression): Expression[] {
  const found: Expression[] = [];
  const pending: Expression[] = [expression];
  while (pending.length > 0) {
    const next = pending.pop()!;
    found.push(next);
    switch (next.kind) {
      case "text":
        for (let index = next.parts.length - 1; index >= 0; index--) {
          const part = next.parts[index];
          if (typeof part !== "string") pending.push(part);
        }
        break;
      case "aggregate":
        pending.push(next.operand);
        break;
      case "days between":
        pending.push(next.to, next.from);
        break;
      case "list":
        for (let index = next.items.length - 1; index >= 0; index--) pending.push(next.items[index]);
        break;
      case "arithmetic":
      case "comparison":
      case "logical":
        pending.push(next.right, next.left);
        break;
      case "negate":
      case "not":
      case "test":
        pending.push(next.operand);
        break;
      // A filter's attribute names (`status` in `whose status is …`) are the items', not facts.
      case "filter":
        pending.push(next.condition, next.list);
        break;
      case "attributes":
        pending.push(next.of);
        break;
    }
  }
  return found;
}

/** Every name an expression reads, in the order written. */
export function referencesIn(expression: Expression): Reference[] {
  const found: Reference[] = [];
  for (const next of expressionsWithin(expression)) if (next.kind === "reference") found.push(next.reference);
  return found;
}

/** The fact a reference starts from: `vendors` for `the first vendor's name`. */
export function rootName(reference: Reference, plural: (noun: string) => string): string {
  const root = reference.segments[0];
  return root.ordinal ? plural(root.ordinal.noun) : root.name;
}
