import { dirname, resolve } from "node:path";
import type { CallStatement, EachLoop, Expression, ProcedureDefinition, Script, Statement } from "../syntax/ast.js";
import { askBlockProblem } from "../syntax/build-statements.js";
import { error, type Diagnostic, warning } from "../syntax/diagnostic.js";
import { formatLocation } from "../syntax/span.js";
import { parseScript } from "../syntax/parse-script.js";
import { pluralOf } from "../syntax/plurals.js";
import { definitionEntry, Phrasebook, standardEntry, type PhrasebookEntry } from "./phrasebook.js";
import type { ProcedureSignature } from "./procedure-signature.js";
import { definitionPattern, hasFixedWord } from "./procedure-pattern.js";
import { askChoices, isChoicesLine } from "./ask-choices.js";
import { loopCollection } from "./loop-collection.js";
import { checkPatterns } from "./check-patterns.js";
import { matchCall, matchingWasCut, type CallMatch, type ParsedArguments } from "./match-call.js";
import { suggestNames } from "./suggest.js";
import { unknownCallProblem } from "./unknown-call.js";
import { statementLikeName } from "./statement-like-names.js";
import { ListEvidence, resultReference, settleListReadings, type ListReading } from "./list-readings.js";
import { expressionsOf, referencesIn, rootName, statementsIn } from "../syntax/walk.js";
import { credentialProblems } from "./credential-names.js";

/** A script whose calls are all resolved: what the interpreter runs. */
export interface CheckedProgram {
  script: Script;
  /** The script and every file it learns from. */
  scripts: Script[];
  phrasebook: Phrasebook;
  calls: Map<CallStatement, CallMatch>;
  diagnostics: Diagnostic[];
  /** Sources by file name, for showing diagnostics with their line. */
  sources: Map<string, string>;
  /**
   * Problems syntax reported that check settled: a line that starts like a statement but is a
   * call of a procedure (`process the sale` calling `to process a sale`). They are not errors.
   */
  settled?: Set<Diagnostic>;
  /** Each name that starts with an ordinal word, and whether check read it as a list position (src/check/list-readings.ts). */
  listReadings?: ListReading[];
}

/** A learned file the script may not read (outside its files root, or never reachable): why, and what to do. */
export interface SourceRefused {
  refused: string;
  fix: string;
}

/** Reads a learned file: its text, undefined when it does not exist, or why it may not be read. */
export type SourceLoader = (path: string) => string | undefined | SourceRefused;

/** A provider of the agent that a run cannot use now: disabled (a warning), or refused by a policy (`blocking`, an error). */
export interface RefusedProvider {
  reason: string;
  fix: string;
  blocking: boolean;
}

/** What `prose check --agent` knows of the agent's providers (for the run's project, with `--project`). */
export interface AgentProviders {
  /** The ids a script may name: the agent's, and the environment's types it does not configure. */
  ids: readonly string[];
  refused?: ReadonlyMap<string, RefusedProvider>;
}

export interface CheckOptions {
  /** Reads a learned file (only `.prose` files are asked for). */
  loadSource: SourceLoader;
  /**
   * The procedures the script can call: a phrasebook made by `newPhrasebook` from the standard
   * procedures the caller hands in (the REPL keeps one across inputs; `prose test` adds its own).
   */
  phrasebook: Phrasebook;
  /** The agent's model providers (`prose check --agent`): `the model provider is "…"` must name one it can use. */
  providers?: AgentProviders;
  /** The agent's secret names (`prose check --agent`): `the credential "…"` written as a literal must name one. */
  secretNames?: readonly string[];
  /** What earlier inputs said about lists (the REPL): this check adds to it. */
  listEvidence?: ListEvidence;
}

/** The entries of each list of procedures handed in, made once: a phrasebook is made per check. */
const entriesByProcedures = new WeakMap<readonly ProcedureSignature[], PhrasebookEntry[]>();

/** A phrasebook holding the given procedures (the standard library's, from the caller): check never imports them. */
export function newPhrasebook(procedures: readonly ProcedureSignature[]): Phrasebook {
  let entries = entriesByProcedures.get(procedures);
  if (entries === undefined) {
    entries = procedures.map(standardEntry);
    entriesByProcedures.set(procedures, entries);
  }
  const phrasebook = new Phrasebook();
  for (const entry of entries) phrasebook.add(entry);
  return phrasebook;
}

/** Resolves every call against the phrasebook and runs the static checks; runs nothing. Problems come in the order found: the session service (src/session/compile-script.ts) puts them in reading order, once. */
export function checkScript(script: Script, options: CheckOptions): CheckedProgram {
  const phrasebook = options.phrasebook;
  const program: CheckedProgram = { script, scripts: [script], phrasebook, calls: new Map(), diagnostics: [], sources: new Map([[script.file, script.source]]), settled: new Set() };
  const seen = new Set<string>([resolve(script.file)]);
  const queue: Script[] = [script];
  while (queue.length > 0) {
    const current = queue.shift()!;
    addDefinitions(current.definitions, program);
    for (const learned of learnedScripts(current, options, seen, program)) {
      program.scripts.push(learned);
      queue.push(learned);
    }
  }
  for (const current of program.scripts) {
    const definitions = current.definitions.filter((definition) => hasFixedWord(definitionPattern(definition)));
    resolveCalls(current.statements, current.file, program, options.providers);
    for (const definition of definitions) resolveCalls(definition.body, current.file, program, options.providers);
    if (options.secretNames) for (const body of [current.statements, ...current.definitions.map((definition) => definition.body)]) program.diagnostics.push(...credentialProblems(body, options.secretNames));
  }
  const settled = program.settled!;
  if (settled.size > 0) program.diagnostics = program.diagnostics.filter((diagnostic) => !settled.has(diagnostic));
  program.listReadings = settleListReadings(program.scripts, program.calls, options.listEvidence ?? new ListEvidence());
  for (const current of program.scripts) {
    const definitions = current.definitions.filter((definition) => hasFixedWord(definitionPattern(definition)));
    checkAskBlocks(current.statements, program);
    for (const definition of definitions) checkAskBlocks(definition.body, program);
    checkPatterns([current.statements, ...definitions.map((definition) => definition.body)], program);
    checkParallelLoops(current.statements, [], program);
    for (const definition of definitions) {
      const slots = definitionPattern(definition).parts.flatMap((part) => (part.kind === "slot" ? [part.name] : []));
      checkParallelLoops(definition.body, slots, program);
    }
  }
  return program;
}

function addDefinitions(definitions: readonly ProcedureDefinition[], program: CheckedProgram): void {
  for (const definition of definitions) {
    const pattern = definitionPattern(definition);
    if (!hasFixedWord(pattern)) {
      program.diagnostics.push(error("bad-procedure-name", definition.span, "A procedure's name needs at least one fixed word besides its inputs.", ["fix: write it like `to approve an invoice`."]));
      continue;
    }
    const hidden = statementLikeName(definition, pattern);
    if (hidden) {
      program.diagnostics.push(hidden);
      continue;
    }
    const duplicate = program.phrasebook.add(definitionEntry(definition));
    if (duplicate) {
      program.diagnostics.push(error("duplicate-procedure", definition.span, `The procedure "${pattern.text}" is already defined at ${duplicate.origin}.`, ["fix: give one of them another name, or remove one."]));
    }
  }
}

/** An `ask` block holds only its choices: any other fact line is reported. */
function checkAskBlocks(statements: readonly Statement[], program: CheckedProgram): void {
  for (const statement of statementsIn(statements)) {
    if (statement.kind !== "ask") continue;
    for (const line of statement.block) {
      if (!isChoicesLine(line)) program.diagnostics.push(error(askBlockProblem.code, line.span, askBlockProblem.message, [askBlockProblem.fix]));
    }
  }
}

/** The expressions a statement reads, with the meaning check gives them: a loop's list even when left out, an `ask`'s choices. */
function expressionsRead(statement: Statement): Expression[] {
  if (statement.kind === "each") return [loopCollection(statement)];
  if (statement.kind === "ask") {
    const choices = askChoices(statement);
    return choices ? [statement.prompt, choices] : [statement.prompt];
  }
  return expressionsOf(statement);
}

function* learnedScripts(script: Script, options: CheckOptions, seen: Set<string>, program: CheckedProgram): Generator<Script> {
  for (const statement of statementsIn(script.statements)) {
    if (statement.kind !== "learn") continue;
    const path = statement.path;
    if (path.kind !== "text" || path.parts.some((part) => typeof part !== "string")) {
      program.diagnostics.push(error("bad-learn-path", statement.span, "`learn` needs the file's path written in quotes.", ['fix: write it as `learn "lib/approvals.prose"`.']));
      continue;
    }
    const written = (path.parts as string[]).join("");
    // Only Prose is learned: another file's lines (a key, a password file) would be echoed in its diagnostics.
    if (!written.toLowerCase().endsWith(".prose")) {
      program.diagnostics.push(error("bad-learn-path", path.span, `\`learn\` takes a Prose file (a name ending in .prose); "${written}" is not one.`, ["fix: learn the .prose file that defines the procedures; read other files with `read the file`."]));
      continue;
    }
    const absolute = resolve(dirname(script.file), written);
    if (seen.has(absolute)) continue;
    seen.add(absolute);
    const source = options.loadSource(absolute);
    if (typeof source === "object") {
      program.diagnostics.push(error("bad-learn-path", path.span, `I can't learn from "${written}": ${source.refused}.`, [source.fix]));
      continue;
    }
    if (source === undefined) {
      program.diagnostics.push(error("learn-file-not-found", path.span, `I can't find the file "${written}" to learn from (looked for ${absolute}).`, ["fix: check the path; it is relative to this script's folder."]));
      continue;
    }
    const parsed = parseScript(source, absolute);
    program.diagnostics.push(...parsed.diagnostics);
    program.sources.set(absolute, source);
    yield parsed.script;
  }
}

function resolveCalls(statements: readonly Statement[], file: string, program: CheckedProgram, providers: AgentProviders | undefined): void {
  for (const statement of statementsIn(statements)) {
    if (statement.kind !== "call") continue;
    const match = resolveCall(statement, file, program);
    if (!match) continue;
    program.calls.set(statement, match);
    program.diagnostics.push(...match.diagnostics);
    checkBlockLines(statement, match.entry, program);
    if (providers) checkModelProvider(statement, providers, program);
  }
}

/**
 * `the model provider is "<id>"` written as plain text must name one of the agent's providers, and
 * one the run can use: a disabled provider is a warning (the call goes to the fallback chain), one
 * a policy refuses an error.
 */
function checkModelProvider(call: CallStatement, providers: AgentProviders, program: CheckedProgram): void {
  const providerIds = providers.ids;
  for (const line of call.block) {
    if (rootName(line.target, pluralOf) !== "model provider" || line.value.kind !== "text") continue;
    if (line.value.parts.some((part) => typeof part !== "string")) continue;
    const id = (line.value.parts as string[]).join("").trim();
    const refused = providers.refused?.get(id);
    if (refused !== undefined) {
      const message = `The run cannot use the provider "${id}": ${refused.reason}${refused.blocking ? "." : "; the call will go to the fallback chain."}`;
      program.diagnostics.push((refused.blocking ? error : warning)(refused.blocking ? "provider-refused-by-policy" : "disabled-provider", line.value.span, message, [`fix: ${refused.fix}`]));
      continue;
    }
    if (providerIds.includes(id)) continue;
    const known = providerIds.length === 0 ? "the agent has no model providers yet" : `the agent's providers are ${providerIds.map((candidate) => `"${candidate}"`).join(", ")}`;
    const close = suggestNames(id, [...providerIds]).map((candidate) => `did you mean: "${candidate}"`);
    program.diagnostics.push(error("unknown-provider", line.value.span, `"${id}" is not one of the agent's model providers; ${known}.`, [...close, "fix: use one of its ids (`prose byom list`), or add the provider with `prose byom add <type>`."]));
  }
}

export function resolveCall(call: CallStatement, file: string, program: Pick<CheckedProgram, "phrasebook" | "diagnostics" | "settled">): CallMatch | undefined {
  const words = call.words.map((word) => word.image.toLowerCase());
  let { matches, parsedArguments } = matchesOf(call.words, file, program);
  // `invoke verify applicant qualifications`: the same call as without `invoke` (LANGUAGE.md §10.1).
  if (matches.length === 0 && words[0] === "invoke" && words.length > 1) ({ matches, parsedArguments } = matchesOf(call.words.slice(1), file, program));
  if (matches.length === 0 && matchingWasCut(parsedArguments)) {
    program.diagnostics.push(
      error("call-too-complex", call.span, `This line can be split into a procedure's inputs in too many ways for Prose to try them all.`, [
        "fix: give the inputs names first (`the first part is …`) and call the procedure with those names.",
      ]),
    );
    return undefined;
  }
  // A line that is no statement and no call: syntax already said what is wrong with it.
  if (matches.length === 0 && call.unreadable) return undefined;
  if (matches.length === 0) {
    program.diagnostics.push(unknownCallProblem(call, program.phrasebook.entries));
    return undefined;
  }
  const most = Math.max(...matches.map((match) => match.entry.fixedWords));
  const best = matches.filter((match) => match.entry.fixedWords === most);
  if (best.length > 1) {
    program.diagnostics.push(
      error("ambiguous-call", call.span, `"${call.text}" matches more than one procedure equally well.`, [
        ...best.map((match) => `candidate: ${match.entry.patternText} (${match.entry.origin})`),
        "fix: reword the line, or rename one of the procedures so their words differ.",
      ]),
    );
    return undefined;
  }
  if (call.unreadable) program.settled?.add(call.unreadable);
  return best[0];
}

/** Every procedure a call sentence's words match. */
function matchesOf(sentence: CallStatement["words"], file: string, program: Pick<CheckedProgram, "phrasebook">): { matches: CallMatch[]; parsedArguments: ParsedArguments } {
  const matches: CallMatch[] = [];
  const parsedArguments: ParsedArguments = new Map();
  let written: Set<string> | undefined;
  for (const entry of program.phrasebook.candidates(sentence[0]?.image.toLowerCase() ?? "", sentence[1]?.image.toLowerCase())) {
    // A pattern whose fixed words are not all in the sentence cannot match: skip it before trying
    // the ways of splitting the sentence (`add 1 to the count` against `add {n} weeks to {date}`).
    written ??= new Set(sentence.map((token) => token.image.toLowerCase()));
    if (!fixedWordsOf(entry).every((word) => written!.has(word))) continue;
    const match = matchCall(sentence, entry, file, parsedArguments);
    if (match) matches.push(match);
  }
  return { matches, parsedArguments };
}

const fixedWordLists = new WeakMap<PhrasebookEntry, string[]>();

/** A pattern's fixed words (its optional articles are not among its parts), worked out once per entry. */
function fixedWordsOf(entry: PhrasebookEntry): string[] {
  let words = fixedWordLists.get(entry);
  if (!words) fixedWordLists.set(entry, (words = entry.parts.flatMap((part) => (part.kind === "word" ? [part.word] : []))));
  return words;
}

function checkBlockLines(call: CallStatement, entry: PhrasebookEntry, program: CheckedProgram): void {
  if (!entry.blockLines) return;
  for (const line of call.block) {
    const name = rootName(line.target, pluralOf);
    if (entry.blockLines.includes(name)) continue;
    const accepted = entry.blockLines.map((allowed) => `the ${allowed}`);
    const suggestions = suggestNames(name, entry.blockLines).map((allowed) => `did you mean: the ${allowed}`);
    const notes = suggestions.length > 0 ? suggestions : [accepted.length > 0 ? `it takes: ${accepted.join(", ")}` : "it takes no block lines"];
    program.diagnostics.push(error("unexpected-block-fact", line.target.span, `"${entry.patternText}" doesn't take a line about "${line.target.text}".`, notes));
  }
}

/**
 * In a parallel loop each iteration has its own facts: it may change its item, and facts it
 * creates, but assigning a fact that the surrounding code uses is a check error.
 */
function checkParallelLoops(scope: readonly Statement[], slots: string[], program: CheckedProgram): void {
  // The names each statement touches, counted once for the whole scope: a loop's outer names are
  // those the scope touches more often than the loop does (a file of 25,000 parallel loops must
  // not walk the whole file once per loop).
  let inScope: Map<string, number> | undefined;
  for (const statement of statementsIn(scope)) {
    if (statement.kind !== "each" || !statement.parallel) continue;
    inScope ??= countNames(statementsIn(scope), program);
    const scopeCounts = inScope;
    const inLoop = countNames(statementsIn([statement]), program);
    const named = new Set(slots);
    for (const expression of expressionsRead(statement)) for (const reference of referencesIn(expression)) named.add(rootName(reference, pluralOf));
    const isOuter = (name: string) => named.has(name) || (scopeCounts.get(name) ?? 0) > (inLoop.get(name) ?? 0);
    reportOuterWrites(statement, isOuter, program);
  }
}

function countNames(statements: Iterable<Statement>, program: CheckedProgram): Map<string, number> {
  const counts = new Map<string, number>();
  for (const statement of statements) for (const name of namesTouched(statement, program)) counts.set(name, (counts.get(name) ?? 0) + 1);
  return counts;
}

function namesTouched(statement: Statement, program: CheckedProgram): string[] {
  const names: string[] = [];
  for (const expression of expressionsRead(statement)) for (const reference of referencesIn(expression)) names.push(rootName(reference, pluralOf));
  if (statement.kind === "assign") names.push(rootName(statement.target, pluralOf));
  if (statement.kind === "each") names.push(statement.item);
  if (statement.kind === "call") {
    const match = program.calls.get(statement);
    for (const argument of match?.arguments.values() ?? []) for (const reference of referencesIn(argument)) names.push(rootName(reference, pluralOf));
    if (statement.resultName) names.push(rootName(resultReference(statement), pluralOf));
  }
  return names;
}

function reportOuterWrites(loop: EachLoop, isOuter: (name: string) => boolean, program: CheckedProgram): void {
  const report = (name: string, span: Statement["span"]) => {
    if (name === loop.item || !isOuter(name)) return;
    program.diagnostics.push(
      error("parallel-shared-fact", span, `This parallel loop changes "the ${name}", a fact from outside the loop; each iteration has its own facts.`, [
        `fix: store the result on the item (the ${loop.item}'s …), or use a loop without "in parallel" (${formatLocation(loop.span)}).`,
      ]),
    );
  };
  for (const statement of statementsIn(loop.body)) {
    if (statement.kind === "assign") report(rootName(statement.target, pluralOf), statement.target.span);
    if (statement.kind !== "call") continue;
    if (statement.resultName) report(rootName(resultReference(statement), pluralOf), statement.span);
    const match = program.calls.get(statement);
    const changed = match?.entry.changesInPlace ? match.arguments.get(match.entry.changesInPlace) : undefined;
    if (changed?.kind === "reference" && !statement.resultName) report(rootName(changed.reference, pluralOf), changed.span);
  }
}
