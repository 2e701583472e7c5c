#!/usr/bin/env node
import module from "node:module";

// Node 22+ keeps compiled code between runs; older versions simply start without it.
module.enableCompileCache?.();

// A closed pipe (`prose run x | head`) ends the output quietly, not with a stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on("error", (error) => {
    if (error.code === "EPIPE") process.exit(process.exitCode ?? 0);
    throw error;
  });
}

const { main } = await import("../dist/cli/prose.mjs");
process.exitCode = await main(process.argv.slice(2));
