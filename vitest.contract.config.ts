import { defineConfig } from "vitest/config";

/**
 * Contract tests: the adapters' requests against the providers' OpenAPI descriptions, served by
 * Stoplight Prism (see test/contract/prism.ts). Each file starts its own Prism, which takes
 * about 15 s to load a description, hence the generous limits.
 */
export default defineConfig({
  test: {
    include: ["test/contract/**/*.contract.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    teardownTimeout: 30_000,
  },
});
