import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";
import { helpTopics } from "../../src/cli/help-command.js";
import { buildIfStale, spawnProse } from "../support/built-cli.js";

const reference = readFileSync(fileURLToPath(new URL("../../docs/language.md", import.meta.url)), "utf8");
const topics = helpTopics(reference);
const section = (heading: string) => topics.find((topic) => topic.heading === heading)!.text;

async function help(...words: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(["help", ...words], { out: (line) => out.push(line), err: (line) => err.push(line) }, {});
  return { code, out: out.join("\n"), err: err.join("\n") };
}

describe("prose help", () => {
  it("the topics are the sections of docs/language.md, a heading inside a code fence is none", () => {
    expect(topics.map((topic) => topic.heading)).toContain("Conditions");
    expect(topics.map((topic) => topic.heading)).toContain("Standard procedures");
    expect(helpTopics("## One\ntext\n```\n## not a heading\n```\n## Two\n").map((topic) => topic.heading)).toEqual(["One", "Two"]);
  });

  it("alone, lists every topic", async () => {
    const shown = await help();
    expect(shown.code).toBe(0);
    for (const topic of topics) expect(shown.out).toContain(`\n  ${topic.heading}`);
  });

  it("prints the reference's own text of a topic, matched by its heading whatever the case", async () => {
    const shown = await help("CONDITIONS");
    expect(shown).toEqual({ code: 0, out: section("Conditions"), err: "" });
    expect(shown.out).toContain("`X is in Y`");
  });

  it("takes a topic of several words, or the first words of one heading", async () => {
    expect((await help("standard", "procedures")).out).toBe(section("Standard procedures"));
    expect((await help("llm")).out).toBe(section("LLM procedures"));
  });

  it("says which topics are close to an unknown one, with exit code 2", async () => {
    const shown = await help("condtions");
    expect(shown.code).toBe(2);
    expect(shown.out).toBe("");
    expect(shown.err).toContain('There is no help topic "condtions"');
    expect(shown.err).toContain("did you mean: Conditions");
  });

  it("shows a command's options for a command's name", async () => {
    const shown = await help("run");
    expect(shown.code).toBe(0);
    expect(shown.out).toContain("--answer <key=value>");
  });

  it("finds docs/language.md from the built CLI", async () => {
    buildIfStale();
    const folder = mkdtempSync(join(tmpdir(), "prose-help-"));
    try {
      const prose = spawnProse(["help", "questions"], { cwd: folder });
      expect(await prose.exited).toBe(0);
      expect(prose.stdout()).toBe(`${section("Questions")}\n`);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});
