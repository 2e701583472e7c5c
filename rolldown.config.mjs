import { defineConfig } from "rolldown";

// `prose` starts from one bundled file: loading one module instead of dozens keeps the
// cold start of `prose run` close to Node's own. Chevrotain stays outside: it loads its own
// single-file bundle (see grammar/chevrotain.ts). Provider SDKs stay outside and load lazily.
export default defineConfig({
  input: "dist/src/cli/main.js",
  platform: "node",
  external: [/^chevrotain/, /^openai/, /^@anthropic-ai\//, /^@google\//, /^@aws-sdk\//, /^@smithy\//, /^google-auth-library/],
  output: { file: "dist/prose.mjs", format: "esm", codeSplitting: false },
  logLevel: "warn",
});
