import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

/** Every relative link of the repository's Markdown pages points at a file of the repository. */
const root = fileURLToPath(new URL("../..", import.meta.url));
/** Every Markdown page outside node_modules and dist. */
function markdownPages(folder = ""): string[] {
  return readdirSync(join(root, folder), { withFileTypes: true }).flatMap((entry) => {
    const path = folder === "" ? entry.name : `${folder}/${entry.name}`;
    if (entry.isDirectory()) return ["node_modules", "dist", ".git", ".prose"].includes(entry.name) ? [] : markdownPages(path);
    return entry.name.endsWith(".md") ? [path] : [];
  });
}
const pages = markdownPages();

function brokenLinks(page: string): string[] {
  const text = readFileSync(join(root, page), "utf8").replace(/^```[\s\S]*?^```/gm, "");
  return [...text.matchAll(/\]\(([^)\s]+)\)/g)]
    .map((match) => match[1])
    .filter((target) => !/^[a-z]+:/i.test(target) && !target.startsWith("#"))
    .filter((target) => {
      const path = join(root, dirname(page), decodeURIComponent(target.split("#")[0]));
      return !existsSync(path) || !path.startsWith(root);
    })
    .map((target) => `${page}: ${target}`);
}

describe("links in the documentation", () => {
  it("point at files inside the repository", () => {
    expect(pages).toEqual(expect.arrayContaining(["README.md", "docs/language.md", "docs/tutorial.md", "examples/README.md"]));
    expect(pages.flatMap(brokenLinks)).toEqual([]);
  });

  it("the README and the docs never send a reader outside the repository for the language", () => {
    const outside = pages.filter((page) => readFileSync(join(root, page), "utf8").includes("../shared/LANGUAGE.md"));
    expect(outside).toEqual([]);
  });
});
