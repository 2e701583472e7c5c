import { mkdirSync, readFileSync } from "node:fs";
import { dirname } from "node:path";
import { isJournalRecord, MemoryJournal, type JournalRecord } from "../../runtime/journal.js";
import type { GenerateResult, LanguageModel } from "../../llm/language-model.js";
import { ModelResolutionError, type ModelResolver } from "../../llm/model-resolver.js";
import { writeFileAtomicallySync } from "../../platform/atomic-file.js";

const header = { prose: "test journal", version: 1 };

/** `invoice.test.prose` → `invoice.test.journal.jsonl`, beside it. */
export function testJournalFile(testFile: string): string {
  return `${testFile.replace(/\.prose$/i, "")}.journal.jsonl`;
}

/**
 * The journals recorded by `prose test --record`, one per test, by test name. The file is JSON
 * Lines: a header, then `{"test": "<name>", "record": <journal record>}` per line (the records
 * of src/runtime/journal.ts: model results, file reads, clock readings, answers).
 */
export function readTestJournals(path: string): Map<string, JournalRecord[]> {
  const journals = new Map<string, JournalRecord[]>();
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch {
    return journals;
  }
  for (const line of text.split("\n")) {
    if (line.trim() === "") continue;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      continue;
    }
    const entry = parsed as { test?: unknown; record?: unknown };
    if (typeof entry.test !== "string" || !isJournalRecord(entry.record)) continue;
    const records = journals.get(entry.test) ?? [];
    records.push(entry.record);
    journals.set(entry.test, records);
  }
  return journals;
}

export function writeTestJournals(path: string, journals: ReadonlyMap<string, MemoryJournal>): void {
  const lines = [JSON.stringify(header)];
  for (const [test, journal] of journals) for (const record of journal.records) lines.push(JSON.stringify({ test, record }));
  mkdirSync(dirname(path), { recursive: true });
  // 0666 less the umask, as a plain write gives: the file is meant to be committed beside the test.
  writeFileAtomicallySync(path, `${lines.join("\n")}\n`, { mode: 0o666 });
}

export const notRecordedMessage =
  "This model call is not in the test's recorded journal (the script, its inputs or the test changed since it was recorded, or it never was): run `prose test --record` to record it from a real run.";

/**
 * Models for a replaying test: every call the journal holds is answered from it before a model is
 * asked (src/runtime/journaled-context.ts); one it does not hold reaches this model, which calls
 * no provider and fails the call with a clear message.
 */
export function replayOnlyModels(onMissing: () => void): ModelResolver {
  const refuse = (): never => {
    onMissing();
    throw new ModelResolutionError(notRecordedMessage);
  };
  return {
    resolve: async (choice) => {
      const model: LanguageModel = {
        providerId: choice.providerId ?? "recorded",
        providerType: choice.providerType ?? "custom",
        model: choice.model ?? "recorded",
        generate: async (): Promise<GenerateResult> => refuse(),
        // eslint-disable-next-line require-yield
        stream: async function* () {
          refuse();
        },
      };
      return model;
    },
  };
}
