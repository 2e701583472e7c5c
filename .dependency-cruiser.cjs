/**
 * The one-way folder chain, checked by dependency-cruiser (`npm run depcheck`, run by `.ci/run`).
 * docs/architecture.md explains it; in short, each arrow reads "may import":
 *
 *   grammar ← syntax ← check ← runtime ← stdlib ← session ← cli
 *
 * Side folders: src/llm (the provider layer and router) imports nothing of the chain; runtime,
 * stdlib, session and cli may import it. src/byom imports only llm, and is imported by session and
 * cli. src/platform is a leaf of OS helpers that every folder may import and that imports nothing
 * of the project. Tests (test/, with test/bench/) may import anything.
 *
 * Type-only imports count as much as any other: a type is a dependency too. The files are parsed
 * with swc (@swc/core), because dependency-cruiser reads TypeScript only through swc or through
 * the TypeScript 5 compiler API, and this project builds with TypeScript 7.
 */

/** Each folder of the project, by the path dependency-cruiser gives its files. */
const folders = {
  grammar: "^grammar/",
  syntax: "^src/syntax/",
  check: "^src/check/",
  runtime: "^src/runtime/",
  stdlib: "^stdlib/",
  session: "^src/session/",
  cli: "^src/cli/",
  llm: "^src/llm/",
  byom: "^src/byom/",
  platform: "^src/platform/",
};

/** What each folder may import, besides itself and packages from node_modules. */
const mayImport = {
  platform: [],
  grammar: ["platform"],
  syntax: ["grammar", "platform"],
  check: ["grammar", "syntax", "platform"],
  runtime: ["grammar", "syntax", "check", "llm", "platform"],
  stdlib: ["grammar", "syntax", "check", "runtime", "llm", "platform"],
  session: ["grammar", "syntax", "check", "runtime", "stdlib", "llm", "byom", "platform"],
  cli: ["grammar", "syntax", "check", "runtime", "stdlib", "session", "llm", "byom", "platform"],
  llm: ["platform"],
  byom: ["llm", "platform"],
};

const projectFolders = Object.keys(folders);
const anyOf = (names) => `(${names.map((name) => folders[name]).join("|")})`;
/** The project's folders a folder may not import (cli may import every one of them). */
const notImportable = (folder) => projectFolders.filter((other) => other !== folder && !mayImport[folder].includes(other));

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    ...projectFolders.filter((folder) => notImportable(folder).length > 0).map((folder) => ({
      name: `${folder}-imports-only-earlier-folders`,
      comment:
        `${folder} may import only ${[folder, ...mayImport[folder]].join(", ")} of the project ` +
        "(see docs/architecture.md, \"One way through the folders\"): move the shared piece to the earlier folder, or hand it in from the caller.",
      severity: "error",
      from: { path: folders[folder] },
      to: { path: anyOf(notImportable(folder)) },
    })),
    {
      name: "src-folders-are-placed-in-the-chain",
      comment: "Every folder of src/ has a place in the chain: add a new one to .dependency-cruiser.cjs and docs/architecture.md.",
      severity: "error",
      from: {},
      to: { path: "^src/[^/]+/", pathNot: anyOf(projectFolders) },
    },
    {
      name: "no-unresolvable-import",
      comment: "An import that names no file (a typo, or a file that moved) would fail at run time.",
      severity: "error",
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    parser: "swc",
    tsPreCompilationDeps: true,
    doNotFollow: { path: "node_modules" },
    exclude: { path: "^(dist|node_modules)/" },
    enhancedResolveOptions: {
      extensions: [".ts", ".js", ".json"],
      exportsFields: ["exports"],
      conditionNames: ["import", "require", "node", "default", "types"],
      mainFields: ["module", "main", "types"],
    },
  },
};
