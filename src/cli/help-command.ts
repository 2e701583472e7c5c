import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Command } from "commander";
import { editDistance } from "../check/suggest.js";
import type { Writer } from "./writer.js";

/** One `## ` section of docs/language.md: a help topic. */
export interface HelpTopic {
  heading: string;
  /** The section as written, its heading line included. */
  text: string;
}

const REFERENCE = join("docs", "language.md");

/**
 * docs/language.md, found from this module upwards: the bundle (dist/cli/prose.mjs), the compiled
 * module (dist/src/cli/) and the source (src/cli/) all lie inside the package, beside docs/.
 */
export function referencePath(start: string = dirname(fileURLToPath(import.meta.url))): string | undefined {
  for (let folder = start; ; folder = dirname(folder)) {
    const candidate = join(folder, REFERENCE);
    if (existsSync(candidate) && existsSync(join(folder, "package.json"))) return candidate;
    if (dirname(folder) === folder) return undefined;
  }
}

/** The reference's `## ` sections, in order; a `## ` line inside a code fence is not a heading. */
export function helpTopics(markdown: string): HelpTopic[] {
  const topics: HelpTopic[] = [];
  let current: { heading: string; lines: string[] } | undefined;
  let inFence = false;
  const close = () => current && topics.push({ heading: current.heading, text: current.lines.join("\n").trimEnd() });
  for (const line of markdown.split(/\r?\n/)) {
    if (line.startsWith("```")) inFence = !inFence;
    if (!inFence && line.startsWith("## ")) {
      close();
      current = { heading: line.slice(3).trim(), lines: [] };
    }
    current?.lines.push(line);
  }
  close();
  return topics;
}

const normalised = (text: string) => text.toLowerCase().replace(/\s+/g, " ").trim();

/** The topic a person asked for: its heading, or the one heading that starts with what was typed. */
export function findTopic(topics: HelpTopic[], asked: string): HelpTopic | undefined {
  const wanted = normalised(asked);
  const exact = topics.find((topic) => normalised(topic.heading) === wanted);
  if (exact) return exact;
  const starting = topics.filter((topic) => normalised(topic.heading).startsWith(wanted) || normalised(topic.heading).split(" ").some((word) => word === wanted));
  return starting.length === 1 ? starting[0] : undefined;
}

/** Headings close to what was typed, closest first. */
export function closeTopics(topics: HelpTopic[], asked: string): string[] {
  const wanted = normalised(asked);
  const distance = (topic: HelpTopic) => {
    const heading = normalised(topic.heading);
    const words = [heading, ...heading.split(" ")];
    return Math.min(...words.map((word) => (word.includes(wanted) || wanted.includes(word) ? 0 : editDistance(wanted, word) / Math.max(word.length, wanted.length))));
  };
  return topics
    .map((topic) => ({ heading: topic.heading, distance: distance(topic) }))
    .filter((entry) => entry.distance <= 0.4)
    .sort((a, b) => a.distance - b.distance)
    .map((entry) => entry.heading);
}

export interface HelpContext {
  writer: Writer;
  setExitCode(code: number): void;
  /** Replaces docs/language.md (tests). */
  reference?: string;
}

/** `prose help [topic]`: the language reference, one section at a time; `prose help run` shows a command's options. */
export function registerHelpCommand(program: Command, context: HelpContext): void {
  program.helpCommand(false);
  program
    .command("help")
    .description("Show the language reference by topic (`prose help conditions`), or a command's options (`prose help run`).")
    .argument("[topic...]", "a section of the reference, or a command")
    .action((words: string[]) => context.setExitCode(showHelp(program, words.join(" "), context)));
}

function showHelp(program: Command, asked: string, context: HelpContext): number {
  const { writer } = context;
  const path = context.reference ?? referencePath();
  if (path === undefined) {
    writer.err("error: The language reference (docs/language.md) is missing from this installation of Prose.");
    writer.err("  fix: reinstall Prose; the reference is also in the repository, at docs/language.md.");
    return 1;
  }
  const topics = helpTopics(readFileSync(path, "utf8"));
  if (asked.trim() === "") {
    writer.out("The Prose language reference, by topic. Show one with `prose help <topic>`:");
    for (const topic of topics) writer.out(`  ${topic.heading}`);
    writer.out("A command's options: `prose help run` (also check, test, repl, runs, usage, byom, secret).");
    return 0;
  }
  // A heading first, then a command's name (`prose help run`), then the start of a heading.
  const command = program.commands.find((candidate) => candidate.name() === normalised(asked) && candidate.name() !== "help");
  const topic = topics.find((candidate) => normalised(candidate.heading) === normalised(asked)) ?? (command ? undefined : findTopic(topics, asked));
  if (topic) {
    writer.out(topic.text);
    return 0;
  }
  if (command) {
    writer.out(command.helpInformation().trimEnd());
    return 0;
  }
  const close = closeTopics(topics, asked);
  writer.err(`error: There is no help topic "${asked.trim()}".`);
  if (close.length > 0) writer.err(`  did you mean: ${close.slice(0, 3).join(", ")}`);
  writer.err(`  topics: ${topics.map((entry) => entry.heading).join(", ")}`);
  return 2;
}
