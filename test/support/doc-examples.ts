/**
 * The runnable examples of a Markdown page (docs/language.md, docs/tutorial.md), read by the
 * conventions the pages state at their end ("How the examples are checked"):
 *
 * - a fence whose info string names a file (```` ```csv claims.csv ````, ```` ```prose hello.prose ````)
 *   writes that file into the page's folder, where every later step of the page runs;
 * - a ```` ```prose ```` fence without a name is written as `example.prose`;
 * - a ```` ```prose ```` fence followed by an ```` ```output ```` fence is run (`prose run FILE`):
 *   what the terminal shows (standard output and error, in order) must equal the output fence;
 * - a ```` ```prose … check ```` fence must pass `prose check`;
 * - a ```` ```console ```` fence holds `$ prose …` commands, each followed by what it shows;
 * - `<!-- model answers: TEXT -->` before a fence is one answer of the local model server for
 *   the run it starts (several comments: several answers, in order); before a named script
 *   without an output fence, for the first command of the next console fence.
 */
export interface Fence {
  /** 1-based line of the opening fence. */
  line: number;
  language: string;
  /** The file the fence writes, when its info string names one. */
  file?: string;
  /** The info string's other words (`check`). */
  flags: string[];
  text: string;
  /** Answers the model server gives during the next run. */
  modelAnswers: string[];
}

export type DocStep =
  | { kind: "write"; line: number; file: string; text: string }
  | { kind: "run"; line: number; argv: string[]; expected: string; modelAnswers: string[] }
  | { kind: "check"; line: number; file: string }
  | { kind: "unchecked"; line: number; why: string };

const FILE_NAME = /^[\w./-]+\.[a-z0-9]+$/i;
/** Run ids (`run-20261205T012547-or89cv`) change with every run; the pages show one as an example. */
export const RUN_ID = /\brun-\d{8}T\d{6}-[a-z0-9]{6}\b/g;

export function fencesOf(markdown: string): Fence[] {
  const lines = markdown.split(/\r?\n/);
  const fences: Fence[] = [];
  let answers: string[] = [];
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index];
    const answer = /^<!--\s*model answers:\s*(.*?)\s*-->\s*$/.exec(line);
    if (answer) answers.push(answer[1]);
    const opening = /^```(\S*)\s*(.*)$/.exec(line);
    if (!opening) continue;
    const words = opening[2].split(/\s+/).filter((word) => word !== "");
    const body: string[] = [];
    const start = index + 1;
    for (index++; index < lines.length && !lines[index].startsWith("```"); index++) body.push(lines[index]);
    const file = words.find((word) => FILE_NAME.test(word));
    fences.push({ line: start, language: opening[1], ...(file === undefined ? {} : { file }), flags: words.filter((word) => word !== file), text: body.join("\n"), modelAnswers: answers });
    answers = [];
  }
  return fences;
}

/** Splits a command line as a shell would: spaces separate words, quotes group them. */
export function shellWords(line: string): string[] {
  const words: string[] = [];
  let word: string | undefined;
  for (let index = 0; index < line.length; index++) {
    const character = line[index];
    if (character === '"' || character === "'") {
      const end = line.indexOf(character, index + 1);
      if (end < 0) throw new Error(`unclosed quote in: ${line}`);
      word = (word ?? "") + line.slice(index + 1, end);
      index = end;
    } else if (character === " ") {
      if (word !== undefined) words.push(word);
      word = undefined;
    } else word = (word ?? "") + character;
  }
  if (word !== undefined) words.push(word);
  return words;
}

/** The steps a page's examples make, in order; a fence the conventions do not cover is `unchecked`. */
export function stepsOf(markdown: string): DocStep[] {
  const fences = fencesOf(markdown);
  const steps: DocStep[] = [];
  /** Answers written before a script that a later console fence runs. */
  let pendingAnswers: string[] = [];
  fences.forEach((fence, index) => {
    const next = fences[index + 1];
    if (fence.language === "output") {
      if (fences[index - 1]?.language !== "prose") steps.push({ kind: "unchecked", line: fence.line, why: "an output fence must follow a prose fence" });
      return;
    }
    if (fence.language === "console") {
      steps.push(...consoleSteps({ ...fence, modelAnswers: [...pendingAnswers, ...fence.modelAnswers] }));
      pendingAnswers = [];
      return;
    }
    if (fence.language === "prose") {
      const file = fence.file ?? "example.prose";
      steps.push({ kind: "write", line: fence.line, file, text: `${fence.text}\n` });
      if (next?.language === "output") steps.push({ kind: "run", line: fence.line, argv: ["run", file], expected: next.text, modelAnswers: fence.modelAnswers });
      else if (fence.flags.includes("check")) steps.push({ kind: "check", line: fence.line, file });
      else if (fence.file === undefined) steps.push({ kind: "unchecked", line: fence.line, why: "a prose fence needs an output fence after it, `check`, or a file name a console fence runs" });
      if (next?.language !== "output") pendingAnswers.push(...fence.modelAnswers);
      return;
    }
    if (fence.file !== undefined) steps.push({ kind: "write", line: fence.line, file: fence.file, text: `${fence.text}\n` });
  });
  const named = new Set(fences.filter((fence) => fence.language === "prose" && fence.file !== undefined && !fence.flags.includes("check")).map((fence) => fence.file!));
  for (const step of steps) if (step.kind === "run") for (const word of step.argv) named.delete(word);
  for (const file of named) {
    const fence = fences.find((candidate) => candidate.file === file)!;
    if (fences[fences.indexOf(fence) + 1]?.language !== "output") steps.push({ kind: "unchecked", line: fence.line, why: `no console fence runs ${file}` });
  }
  return steps;
}

function consoleSteps(fence: Fence): DocStep[] {
  const steps: DocStep[] = [];
  const lines = fence.text.split("\n");
  for (let index = 0; index < lines.length; index++) {
    if (!lines[index].startsWith("$ ")) {
      steps.push({ kind: "unchecked", line: fence.line + 1 + index, why: "a console fence starts with a `$ prose …` line" });
      continue;
    }
    const words = shellWords(lines[index].slice(2));
    const commandLine = fence.line + 1 + index;
    const first = !steps.some((step) => step.kind === "run");
    const output: string[] = [];
    while (index + 1 < lines.length && !lines[index + 1].startsWith("$ ")) output.push(lines[++index]);
    if (words[0] !== "prose") steps.push({ kind: "unchecked", line: commandLine, why: `only prose commands run in a console fence: ${words[0]}` });
    // Answers written before the fence go with its first command.
    else steps.push({ kind: "run", line: commandLine, argv: words.slice(1), expected: output.join("\n"), modelAnswers: first ? fence.modelAnswers : [] });
  }
  return steps;
}
