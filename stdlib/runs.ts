import type { ProcedureCall, StandardProcedure } from "../src/runtime/procedure.js";
import { FileRefused } from "../src/platform/file-refused.js";
import { display } from "../src/runtime/display.js";
import { RunNotStarted } from "../src/runtime/folders-and-runs.js";
import { Fact, text } from "../src/runtime/values.js";
import { textArgument } from "./arguments.js";

/**
 * `start a run of {script}`: a run of another script, on its own (this run does not wait for
 * it), under the same agent and project, in the same workspace, with the block's facts as its
 * inputs. The result is its run id (`prose runs show <id>`). A resumed run does not start it again.
 */
export const runProcedures: StandardProcedure[] = [
  {
    pattern: "start a run of {script}",
    resultName: "run",
    blockLines: [],
    anyBlockLines: true,
    description:
      "Starts a run of another script (a relative path starts at this script's folder, inside its files root) on its own, under the same agent: this run goes on without waiting. The block's facts are its inputs (`the invoice is \"INV-7\"`). The result is the new run's id, for `prose runs show`.",
    run: async (call) => {
      const written = textArgument(call, "script");
      const script = call.resolvePath(written);
      const inputs = [...call.block].map(([name, fact]) => inputPair(call, name, fact));
      const startRun = call.context.startRun;
      if (!startRun) return call.fail(`I can't start a run of "${written}" here: only a run made with \`prose run\` can start others.`, "fix: run the script with `prose run`.");
      try {
        return new Fact(text(await startRun({ script, inputs })));
      } catch (problem) {
        if (problem instanceof FileRefused) call.fail(`I can't start a run of "${written}": ${problem.reason}.`, problem.fix);
        if (problem instanceof RunNotStarted) call.fail(`I can't start a run of "${written}": ${problem.reason}.`, problem.fix);
        const code = (problem as NodeJS.ErrnoException).code;
        if (code === "ENOENT") call.fail(`The script "${written}" doesn't exist (looked for ${script}).`, "fix: check the name; a relative path starts at this script's folder.");
        if (code === "EISDIR") call.fail(`"${written}" is a folder, not a script.`, "fix: give the path of a .prose file.");
        if (typeof code === "string") call.fail(`I can't start a run of "${written}" (${code}).`);
        throw problem;
      }
    },
  },
];

/** A block fact as an `--input` pair: a document by its path (`name=@/abs/path`), any other single value as it reads. */
function inputPair(call: ProcedureCall, name: string, fact: Fact): string {
  const value = fact.value;
  if (value.kind === "document") return `${name}=@${value.path}`;
  if (value.kind === "list" || fact.hasAttributes()) {
    call.fail(`\`the ${name}\` is ${value.kind === "list" ? "a list" : "a record"}, but a run's inputs are single values (texts, numbers, dates, yes/no) or documents.`, `fix: write it to a file (\`write the ${name} to the file "${name.replace(/\s+/g, "-")}.json"\`) and give the run that file.`);
  }
  const shown = display(value);
  if (shown.startsWith("@")) call.fail(`\`the ${name}\` starts with "@", which a run's input reads as a file to open.`, "fix: give the text without the @, or the file itself as a document.");
  return `${name}=${shown}`;
}
