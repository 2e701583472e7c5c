import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { format, median, now, repositoryRoot, spread, type BenchReport } from "./measure.js";

const WARMUPS = 2;
const RUNS = 15;
const TARGET_RATIO = 3;

/** Wall time of one child process, from spawn to exit; it must succeed and print what it should. */
function timeProcess(args: string[], expectedOutput: string): number {
  const start = now();
  const child = spawnSync(process.execPath, args, { cwd: repositoryRoot, encoding: "utf8" });
  const elapsed = now() - start;
  if (child.status !== 0 || child.stdout !== expectedOutput) {
    throw new Error(`node ${args.join(" ")} exited ${child.status} with ${JSON.stringify(child.stdout)} ${child.stderr}`);
  }
  return elapsed;
}

/** `node bin/prose.js run <one-line script>` beside `node -e 0`, each a fresh process. */
export async function coldStart(): Promise<BenchReport> {
  const cli = join(repositoryRoot, "bin", "prose.js");
  if (!existsSync(join(repositoryRoot, "dist", "cli", "prose.mjs"))) throw new Error("dist/cli/prose.mjs is missing: run `npm run build` first");
  const folder = mkdtempSync(join(tmpdir(), "prose-bench-"));
  try {
    const script = join(folder, "hello.prose");
    writeFileSync(script, 'say "hello"\n');
    const proseArgs = [cli, "run", script];
    const nodeArgs = ["-e", "0"];
    const proseTimes: number[] = [];
    const nodeTimes: number[] = [];
    // Alternating, so a busy moment on the machine falls on both alike.
    for (let run = 0; run < WARMUPS + RUNS; run++) {
      const proseTime = timeProcess(proseArgs, "hello\n");
      const nodeTime = timeProcess(nodeArgs, "");
      if (run < WARMUPS) continue;
      proseTimes.push(proseTime);
      nodeTimes.push(nodeTime);
    }
    const proseMs = median(proseTimes);
    const nodeMs = median(nodeTimes);
    const ratio = proseMs / nodeMs;
    return {
      rows: [
        {
          name: "cold start: prose run (1 line)",
          measured: `${format(proseMs)} ms`,
          baseline: `node -e 0 ${format(nodeMs)} ms`,
          ratio: `${ratio.toFixed(2)}× node`,
          target: `≤ ${TARGET_RATIO}× node -e 0`,
          pass: ratio <= TARGET_RATIO,
        },
      ],
      notes: [`cold start: prose run ${spread(proseTimes)}; node -e 0 ${spread(nodeTimes)}`],
    };
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}
