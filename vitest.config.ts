import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // The contract tests (*.contract.test.ts, which this include would match) run with
    // `npm run test:contract` and vitest.contract.config.ts: each starts a Prism mock server.
    exclude: ["test/bench/**", "test/contract/**", "node_modules/**", "dist/**"],
    testTimeout: 20000,
  },
});
