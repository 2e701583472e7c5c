import type { CheckedProgram } from "../check/check-script.js";
import { loopCollection } from "../check/loop-collection.js";
import type { CallStatement, Expression, ProcedureDefinition, Reference, Statement } from "../syntax/ast.js";
import { pluralOf, singularOf } from "../syntax/plurals.js";
import { expressionsOf, referencesIn, statementsIn } from "../syntax/walk.js";
import { lookAheadProcedures } from "./look-ahead-procedures.js";
import { QuestionsPending, type Question } from "./questions.js";
import type { Scope } from "./scope.js";
import type { Fact } from "./values.js";

/**
 * Headless, a run that meets a question it cannot answer does not stop there: it **looks ahead**
 * for the other questions it can reach, so that one stop lists them all. The statement that
 * raised the question is blocked; what it (or anything skipped later) might set becomes
 * unknown. Each later statement of the same strand then either runs — it has no effect outside
 * the run's facts (`assign`, `ask`, `validate`, `if`, a line that is only a name, a pure standard
 * procedure such as `get`)
 * and reads nothing unknown — or is skipped, and what it might set becomes unknown too, so
 * dependents cascade. A skipped statement that might end the run (`stop`, `fail`, a procedure
 * that may do either, a loop around one) ends the looking: what follows might never run.
 * Nothing a person can see (`say`, files, model calls, loops) happens after the first question;
 * a resumed run starts again from the top and replays its journal, so every skipped statement
 * runs then. See docs/language-decisions.md, "Questions (v1)".
 */
export class LookAhead {
  /** Set when looking further could show questions the run might never reach. */
  final = false;
  readonly questions: Question[] = [];
  private readonly seen = new Set<string>();
  private readonly unknown = new NameTree();
  /** Facts reached by unknown names, and which of their parts are unknown ("" for the whole fact). */
  private readonly unknownFacts = new WeakMap<Fact, Set<string>>();

  constructor(private readonly program: CheckedProgram) {}

  /** Keeps the questions a statement raised (each once). */
  add(pending: QuestionsPending): void {
    if (pending instanceof LookedAhead && pending.final) this.final = true;
    for (const question of pending.questions) {
      if (this.seen.has(question.id)) continue;
      this.seen.add(question.id);
      this.questions.push(question);
    }
  }

  /** Whether a statement may run while looking ahead: no effect beyond facts, and nothing unknown read. */
  runs(statement: Statement, scope: Scope): boolean {
    if (!this.pure(statement)) return false;
    return !this.readsOf(statement).some((name) => (name === "above" ? this.unknown.aboveUnknown : this.unknown.overlaps(name) || this.sharedUnknown(name, scope)));
  }

  /**
   * A `validate` some of whose checks read unknown values: those checks are blocked, and the
   * others may still run, each raising its own question. Blocking a check can make another one
   * unknown (its answer would set a fact the other reads), so it is done until nothing changes.
   */
  narrow(statement: Statement, scope: Scope): Statement {
    if (statement.kind !== "validate") return statement;
    let checks = statement.checks;
    for (;;) {
      const unknown = checks.filter((check) => this.readsUnknown(check.condition, scope));
      if (unknown.length === 0) return checks === statement.checks ? statement : { ...statement, checks };
      this.block({ ...statement, checks: unknown }, scope);
      checks = checks.filter((check) => !unknown.includes(check));
    }
  }

  private readsUnknown(expression: Expression, scope: Scope): boolean {
    const names: Array<Reference | "above"> = [];
    namesIn(expression, names);
    return names.some((name) => (name === "above" ? this.unknown.aboveUnknown : this.unknown.overlaps(name) || this.sharedUnknown(name, scope)));
  }

  /**
   * A statement that raised questions, or is skipped: what it might set becomes unknown — the
   * facts it assigns, and those it reads that are not set yet (it would ask for them). When it
   * might end the run, looking ahead ends. `examined`: its inner block was already looked
   * through (a question inside an `if` branch or a procedure's body), so only a loop's further
   * rounds are left unknown.
   */
  block(statement: Statement, scope: Scope, examined = false): void {
    this.unknown.aboveUnknown = true;
    for (const inner of statementsIn([statement])) {
      for (const reference of this.writesOf(inner)) this.markUnknown(reference, scope);
      for (const reference of this.readsOf(inner)) if (reference !== "above" && !isSet(reference, scope)) this.markUnknown(reference, scope);
    }
    const loop = statement.kind === "each" || statement.kind === "repeat";
    if ((loop || !examined) && this.mayEnd(statement)) this.final = true;
  }

  /**
   * A name becomes unknown, and so does the fact it reaches now: a record is shared by every
   * name that holds it (`the copy is the invoice`), so a later read through another name of
   * what a skipped statement would change is unknown too.
   */
  private markUnknown(reference: Reference, scope: Scope): void {
    this.unknown.add(reference);
    const reached = factsAlong(reference, scope);
    if (reached.length === 0) return;
    // The fact itself when it is there (""), otherwise the attribute its deepest owner would get.
    const part = reached.length === reference.segments.length ? "" : reference.segments[reached.length].name;
    const owner = reached[reached.length - 1];
    const parts = this.unknownFacts.get(owner) ?? new Set<string>();
    parts.add(part);
    this.unknownFacts.set(owner, parts);
  }

  private sharedUnknown(reference: Reference, scope: Scope): boolean {
    const reached = factsAlong(reference, scope);
    return reached.some((fact, index) => {
      const parts = this.unknownFacts.get(fact);
      if (!parts) return false;
      const next = reference.segments[index + 1];
      return parts.has("") || (next !== undefined && parts.has(next.name));
    });
  }

  /** A statement that ran: `the above` is known again when it set it. */
  ran(statement: Statement): void {
    if (statement.kind === "assign" || statement.kind === "ask" || statement.kind === "call" || statement.kind === "name") this.unknown.aboveUnknown = false;
  }

  /** The questions so far, to stop with. */
  pending(): LookedAhead {
    return new LookedAhead([...this.questions], this.final);
  }

  private pure(statement: Statement): boolean {
    switch (statement.kind) {
      case "assign":
      case "ask":
      case "validate":
      case "if":
      case "learn":
      case "name":
        return true;
      case "call": {
        const entry = this.program.calls.get(statement)?.entry;
        return entry?.standard !== undefined && entry.definition === undefined && lookAheadProcedures.has(entry.patternText);
      }
      default:
        return false;
    }
  }

  /** The names a statement reads itself (an `if` its conditions; not its blocks). */
  private readsOf(statement: Statement): Array<Reference | "above"> {
    const expressions: Expression[] = [...expressionsOf(statement)];
    if (statement.kind === "call") expressions.push(...(this.program.calls.get(statement)?.arguments.values() ?? []));
    if (statement.kind === "each") expressions.push(loopCollection(statement));
    const names: Array<Reference | "above"> = [];
    for (const expression of expressions) namesIn(expression, names);
    if (statement.kind === "assign" && statement.target.segments.length > 1) names.push({ ...statement.target, segments: statement.target.segments.slice(0, -1) });
    return names;
  }

  /** The names a statement (not its blocks) may set: an assignment's, `ask`'s answer, a call's result and arguments. */
  private writesOf(statement: Statement): Reference[] {
    switch (statement.kind) {
      case "assign":
        return [statement.target];
      case "ask":
        return [named("answer", statement)];
      case "validate":
        return statement.checks.flatMap((check) => firstReference(check.condition) ?? []);
      case "each": {
        const collection = loopCollection(statement);
        return [named(statement.item, statement), ...(collection.kind === "reference" ? [collection.reference] : [])];
      }
      case "call":
        return this.callWrites(statement);
      default:
        return [];
    }
  }

  private callWrites(statement: CallStatement): Reference[] {
    const match = this.program.calls.get(statement);
    const writes: Reference[] = [];
    if (statement.resultName) writes.push(named(statement.resultName.replace(/^the\s+/i, ""), statement));
    if (match?.entry.resultName) writes.push(named(match.entry.resultName, statement));
    // An argument may be changed in place, or through its possessives in a procedure's body, or
    // be the fact a `get` asks for.
    for (const argument of match?.arguments.values() ?? []) if (argument.kind === "reference") writes.push(argument.reference);
    return writes;
  }

  /** Whether a statement, or one inside it, may end the run: `stop`, `fail`, or a procedure that may. */
  private mayEnd(statement: Statement): boolean {
    const ending = endingProcedures(this.program);
    for (const inner of statementsIn([statement])) {
      if (!knownKinds.has(inner.kind) || inner.kind === "stop" || inner.kind === "fail") return true;
      if (inner.kind === "call") {
        const definition = this.program.calls.get(inner)?.entry.definition;
        if (definition && ending.has(definition)) return true;
      }
    }
    return false;
  }
}

/** The questions a run stops with after looking ahead; `final` when no enclosing block may look further. */
export class LookedAhead extends QuestionsPending {
  constructor(
    questions: Question[],
    readonly final: boolean,
  ) {
    super(questions);
  }
}

const knownKinds = new Set<string>(["assign", "say", "if", "each", "repeat", "ask", "validate", "stop", "fail", "learn", "name", "call"]);

/** The procedures of a program that may end the run (contain `stop` or `fail`, or call one that may), worked out once. */
const endingByProgram = new WeakMap<CheckedProgram, Set<ProcedureDefinition>>();

function endingProcedures(program: CheckedProgram): Set<ProcedureDefinition> {
  const known = endingByProgram.get(program);
  if (known) return known;
  const callers = new Map<ProcedureDefinition, ProcedureDefinition[]>();
  const ending = new Set<ProcedureDefinition>();
  const work: ProcedureDefinition[] = [];
  for (const definition of program.scripts.flatMap((script) => script.definitions)) {
    for (const inner of statementsIn(definition.body)) {
      if (!knownKinds.has(inner.kind) || inner.kind === "stop" || inner.kind === "fail") {
        if (!ending.has(definition)) work.push(definition);
        ending.add(definition);
      } else if (inner.kind === "call") {
        const called = program.calls.get(inner)?.entry.definition;
        if (called) callers.set(called, [...(callers.get(called) ?? []), definition]);
      }
    }
  }
  // Whoever calls a procedure that may end may end too.
  while (work.length > 0) {
    for (const caller of callers.get(work.pop()!) ?? []) {
      if (ending.has(caller)) continue;
      ending.add(caller);
      work.push(caller);
    }
  }
  endingByProgram.set(program, ending);
  return ending;
}

/** Every name an expression reads, and `the above`; walked generically, so forms added later are covered. */
function namesIn(expression: Expression, names: Array<Reference | "above">): void {
  const pending: unknown[] = [expression];
  while (pending.length > 0) {
    const next = pending.pop();
    if (Array.isArray(next)) {
      for (const item of next) if (item !== null && typeof item === "object") pending.push(item);
      continue;
    }
    if (next === null || typeof next !== "object") continue;
    const node = next as Record<string, unknown>;
    if (node.kind === "reference" && node.reference !== undefined) names.push(node.reference as Reference);
    if (node.kind === "above") names.push("above");
    for (const [key, value] of Object.entries(node)) {
      if (key !== "span" && key !== "reference" && value !== null && typeof value === "object") pending.push(value);
    }
  }
}

/** The fact a validation question's answer sets (see `QuestionDesk.settleFailedChecks`). */
function firstReference(expression: Expression): Reference | undefined {
  return referencesIn(expression)[0];
}

function named(name: string, statement: Statement): Reference {
  return { segments: [{ name: name.toLowerCase(), span: statement.span }], text: `the ${name}`, span: statement.span };
}

/**
 * Whether a name holds a value now, without evaluating anything: its root is set and each
 * attribute is there. Anything less plain (an item picked by an ordinal, a document) counts as
 * not set, so that what a skipped statement might ask for is taken as unknown.
 */
function isSet(reference: Reference, scope: Scope): boolean {
  const reached = factsAlong(reference, scope).length;
  return reference.segments[0].ordinal ? reached > 0 && reference.segments.length === 1 : reached === reference.segments.length;
}

/**
 * The facts a name reaches now, from its root through each attribute, without evaluating
 * anything: it stops at a part that is not there, at an item picked by an ordinal, at a list or
 * a document.
 */
function factsAlong(reference: Reference, scope: Scope): Fact[] {
  const [root, ...rest] = reference.segments;
  let fact: Fact | undefined = scope.lookup(root.ordinal ? pluralOf(root.ordinal.noun) : root.name);
  if (fact === undefined) return [];
  const reached = [fact];
  if (root.ordinal) return reached;
  for (const segment of rest) {
    if (segment.ordinal || fact.value.kind === "list" || fact.value.kind === "document") return reached;
    fact = fact.attributes?.get(segment.name);
    if (fact === undefined) return reached;
    reached.push(fact);
  }
  return reached;
}

/**
 * The names that are unknown, as a tree of their parts: `the vendor's email` is unknown to a
 * read of the vendor's email, of the vendor (the whole record), and of the vendor's email's
 * domain; not to the vendor's phone. Plural and singular, and an item picked by an ordinal,
 * count as the same name (`the vendors`, `the vendor`, `the first vendor`). A lookup costs the
 * length of the name, however many names are unknown.
 */
class NameTree {
  aboveUnknown = false;
  private readonly root = new NameNode();

  add(reference: Reference): void {
    for (const path of keyPaths(reference)) {
      let node = this.root;
      for (const key of path) {
        let child = node.children.get(key);
        if (!child) node.children.set(key, (child = new NameNode()));
        node = child;
      }
      node.end = true;
    }
  }

  overlaps(reference: Reference): boolean {
    return keyPaths(reference).some((path) => {
      let node: NameNode | undefined = this.root;
      for (const key of path) {
        node = node.children.get(key);
        if (!node) return false;
        if (node.end) return true;
      }
      return true;
    });
  }
}

class NameNode {
  end = false;
  readonly children = new Map<string, NameNode>();
}

/** A name's parts as keys; an ordinal part reads both as the list's item and as a plain name. */
function keyPaths(reference: Reference): string[][] {
  let paths: string[][] = [[]];
  for (const segment of reference.segments) {
    const keys = new Set([singularOf(segment.name)]);
    if (segment.ordinal) keys.add(singularOf(segment.ordinal.noun));
    // Past a few ordinals the name is cut short there: a shorter name is unknown to more, never to less.
    if (paths.length * keys.size > 16) return paths;
    paths = paths.flatMap((path) => [...keys].map((key) => [...path, key]));
  }
  return paths;
}
