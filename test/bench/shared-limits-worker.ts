import { routedModels } from "../../src/session/routed-models.js";
import { routedCall } from "./router-support.js";

/**
 * One process of the shared-limits benchmark (router-shared-limits.ts): `node
 * dist/test/bench/shared-limits-worker.js WORKSPACE-FOLDER CALLS` with the workspace's environment
 * (PROSE_REDIS_URL set or not). It makes its calls at once through the router `prose run` builds,
 * and prints {"ok": n, "failed": n, "warnings": [...]} on its last line.
 */
const [folder, calls] = process.argv.slice(2);
const warnings: string[] = [];
const models = routedModels({ agent: "bench", runId: `run-bench-${process.pid}`, environment: process.env, services: { currentDirectory: folder }, warn: (message) => warnings.push(message) });
let ok = 0;
let failed = 0;
const failures: string[] = [];
await Promise.all(
  Array.from({ length: Number(calls) }, () =>
    routedCall(models).then(
      () => (ok += 1),
      (problem: unknown) => {
        failed += 1;
        if (failures.length < 3) failures.push(problem instanceof Error ? problem.message : String(problem));
      },
    ),
  ),
);
await models.flush();
console.log(JSON.stringify({ ok, failed, failures, warnings: warnings.slice(0, 5) }));
process.exit(0);
