/** Where the command line writes; tests give their own to capture both streams. */
export interface Writer {
  out(line: string): void;
  err(line: string): void;
}

export const processWriter: Writer = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
};
