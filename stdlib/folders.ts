import { extname, join } from "node:path";
import type { ProcedureCall, StandardProcedure } from "../src/runtime/procedure.js";
import { FileRefused } from "../src/platform/file-refused.js";
import type { FolderEntry } from "../src/runtime/folders-and-runs.js";
import { Fact, list, type DocumentValue } from "../src/runtime/values.js";
import { blockText, textArgument } from "./arguments.js";
import { openDocument, textExtensions } from "./files.js";

/**
 * `get the files in the folder {path}`: the folder's files as documents, sorted by name. Only the
 * folder itself is listed (its subfolders are not entered); `the pattern is "*.pdf"` keeps the
 * files whose name matches, ignoring case. Names starting with a dot are left out unless the
 * pattern starts with one. Text files are read (their text is the document's); others (PDFs,
 * images) are read when their pages or text are needed, as documents opened any other way.
 */
export const folderProcedures: StandardProcedure[] = [
  {
    pattern: "get the files in the folder {path}",
    resultName: "files",
    blockLines: ["pattern"],
    description:
      'Lists a folder\'s files as documents, sorted by name (a relative path starts at the script\'s folder; subfolders are not entered). Block: `the pattern is "*.pdf"` keeps the files whose name matches (* any characters, ? one, [abc] one of them; case is ignored).',
    run: async (call) => {
      const written = textArgument(call, "path");
      const folder = call.resolvePath(written);
      const pattern = call.block.has("pattern") ? blockText(call, "pattern", "*") : undefined;
      const matches = pattern === undefined ? undefined : namePattern(call, pattern);
      const entries = await listed(call, written, folder);
      const chosen = entries
        .filter((entry) => entry.kind === "file")
        .filter((entry) => !entry.name.startsWith(".") || pattern?.startsWith(".") === true)
        .filter((entry) => matches === undefined || matches.test(entry.name))
        .sort((a, b) => byName(a.name, b.name));
      const documents: Fact[] = [];
      for (const entry of chosen) documents.push(new Fact(await documentOf(call, folder, entry)));
      return new Fact(list(documents));
    },
  },
];

async function listed(call: ProcedureCall, written: string, folder: string): Promise<FolderEntry[]> {
  const listFolder = call.context.listFolder;
  if (!listFolder) return call.fail(`I can't list the folder "${written}" here: this run has no files to list.`, "fix: run the script with `prose run`.");
  try {
    return await listFolder(folder);
  } catch (problem) {
    if (problem instanceof FileRefused) call.fail(problem.messageFor(written), problem.fix);
    const code = (problem as NodeJS.ErrnoException).code;
    if (code === "ENOENT") call.fail(`The folder "${written}" doesn't exist (looked for ${folder}).`, "fix: check the name; a relative path starts at the script's folder.");
    if (code === "ENOTDIR") call.fail(`"${written}" is a file, not a folder.`, "fix: give the folder that holds it, and a pattern for its name.");
    if (code === "EACCES" || code === "EPERM") call.fail(`I'm not allowed to list the folder "${written}".`, "fix: give a folder you may read.");
    if (typeof code === "string") call.fail(`I can't list the folder "${written}" (${code}).`);
    throw problem;
  }
}

/** A text file is opened (read through the run's context, journaled); any other is a document read when its content is needed. */
async function documentOf(call: ProcedureCall, folder: string, entry: FolderEntry): Promise<DocumentValue> {
  const path = join(folder, entry.name);
  const extension = extname(entry.name).toLowerCase();
  if (textExtensions.has(extension) || extension === "") {
    const opened = await openDocument({ context: call.context, resolvePath: () => path, fail: (message, fix) => call.fail(message, fix) }, path);
    return opened;
  }
  return { kind: "document", path, name: entry.name, extension: extension.replace(/^\./, ""), size: entry.size };
}

// Made on the first listing: creating an ICU collator costs several milliseconds, which a run that lists no folder must not pay at start-up.
let collator: Intl.Collator | undefined;

/** Names in the order a person expects: letters without regard to case, numbers by value (invoice-2 before invoice-10). */
function byName(a: string, b: string): number {
  collator ??= new Intl.Collator("en", { numeric: true, sensitivity: "base" });
  return collator.compare(a, b) || (a < b ? -1 : a > b ? 1 : 0);
}

/** A file-name pattern as a regular expression, ignoring case; a pattern that names subfolders is an English error. */
export function namePattern(call: Pick<ProcedureCall, "fail">, pattern: string): RegExp {
  if (pattern.includes("/") || pattern.includes("\\") || pattern.includes("**")) {
    call.fail(`The pattern "${pattern}" names subfolders, but only the folder's own files are listed.`, 'fix: give a pattern for the file names alone, such as "*.pdf", and list each subfolder with its own `get the files in the folder …`.');
  }
  let source = "";
  for (let index = 0; index < pattern.length; index++) {
    const character = pattern[index];
    if (character === "*") source += ".*";
    else if (character === "?") source += ".";
    else if (character === "[") {
      const close = pattern.indexOf("]", index + 2);
      if (close < 0) call.fail(`The pattern "${pattern}" opens a [ it never closes.`, 'fix: close it, as in "scan-[0-9].pdf".');
      let inside = pattern.slice(index + 1, close);
      const negated = inside.startsWith("!") || inside.startsWith("^");
      if (negated) inside = inside.slice(1);
      source += `[${negated ? "^" : ""}${inside.replace(/[\\\]^]/g, "\\$&")}]`;
      index = close;
    } else source += character.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  }
  return new RegExp(`^${source}$`, "is");
}
