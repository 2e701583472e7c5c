import { fingerprint, type Journal, type StepKind, type StepRecord } from "./journal.js";
import type { RunContext } from "./run-context.js";

/**
 * Two things a run asks of the world that the runtime only passes on (the command line does them,
 * confined): listing a folder (`get the files in the folder …`) and starting a run of another
 * script (`start a run of …`). Both are journaled, so that a resumed run sees the same list and
 * never starts the same run twice.
 */

/** One entry of a folder, as the host lists it: a regular file (with its size in bytes) or a folder. */
export interface FolderEntry {
  name: string;
  kind: "file" | "folder";
  size: number;
}

/** A run to start: the script's absolute path and its inputs as `--input` pairs (`invoice=INV-7`, `scan=@/abs/scan.pdf`). */
export interface RunStartRequest {
  script: string;
  inputs: string[];
  /**
   * Told the new run's id once its record exists and before its process starts: the journal keeps
   * it there, so that a run stopped at that moment does not start a second one when resumed.
   */
  recordId?: (id: string) => Promise<void>;
  /**
   * A run this run started before (replayed from its journal): the host starts its process only
   * if it never started (its record has no attempt), and returns the same id.
   */
  existingId?: string;
}

/** A run that could not be started, with an English reason (its script has errors, …). */
export class RunNotStarted extends Error {
  readonly code = "PROSE_RUN_NOT_STARTED";
  constructor(
    /** Why, as the end of a sentence: `it has an error, the first at line 1, column 5: …`. */
    readonly reason: string,
    readonly fix?: string,
  ) {
    super(`I can't start that run: ${reason}.`);
    this.name = "RunNotStarted";
  }
}

type Replay = (kind: StepKind, key: string, print: string | undefined, what: string) => StepRecord | undefined;

/**
 * Adds the journaled `listFolder` and `startRun` to a strand's context (see `strandContext`):
 * a listing is kept whole (names, kinds, sizes) and replayed; a started run's id is kept (durably,
 * before its process starts) and replayed, and the run is not started again.
 */
export function journalFoldersAndRuns(context: RunContext, base: RunContext, journal: Journal, nextStep: (kind: StepKind) => string, replay: Replay): void {
  const listFolder = base.listFolder;
  if (listFolder) {
    context.listFolder = async (path) => {
      const key = nextStep("list");
      const print = fingerprint({ path });
      const record = replay("list", key, print, `listing of the folder ${path}`);
      if (record && Array.isArray(record.result)) return (record.result as FolderEntry[]).map((entry) => ({ ...entry }));
      const entries = await listFolder(path);
      await journal.append({ kind: "list", step: key, fingerprint: print, result: entries }, { durable: true });
      return entries;
    };
  }
  const startRun = base.startRun;
  if (startRun) {
    context.startRun = async (request) => {
      const key = nextStep("run");
      const print = fingerprint({ script: request.script, inputs: request.inputs });
      const record = replay("run", key, print, `start of a run of ${request.script}`);
      if (record && typeof record.result === "string") return startRun({ script: request.script, inputs: request.inputs, existingId: record.result });
      return startRun({
        script: request.script,
        inputs: request.inputs,
        recordId: (id) => journal.append({ kind: "run", step: key, fingerprint: print, result: id }, { durable: true }),
      });
    };
  }
}
