import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * A file or folder of the installation (`web/`, `schemas/openapi.json`), found from this module
 * upwards: from src/cli/serve/, dist/src/cli/serve/ or a chunk of the bundle dist/cli/chunks/.
 */
export function repositoryPath(relativePath: string): string | undefined {
  let folder = dirname(fileURLToPath(import.meta.url));
  for (let depth = 0; depth < 7; depth++) {
    const candidate = join(folder, relativePath);
    if (existsSync(candidate)) return candidate;
    folder = resolve(folder, "..");
  }
  return undefined;
}
