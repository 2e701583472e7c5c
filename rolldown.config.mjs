import { defineConfig } from "rolldown";

// `prose` starts from one bundled file: loading one module instead of dozens keeps the cold
// start of `prose run` close to Node's own. What a script may never need — the LLM procedures'
// implementation, the provider layer, BYOM, the `byom` commands — is reached through dynamic
// imports and lands in chunks of its own, compiled only when used. Chevrotain stays outside: it
// loads its own single-file bundle (see grammar/chevrotain.ts). Provider SDKs stay outside and
// load lazily, and so do pdfjs-dist and @napi-rs/canvas: pdfjs finds its fonts and its canvas
// from its own location. re2js (the pattern engine of `matches the pattern`) is required on the
// first pattern a script tests. jsonc-parser (its UMD build does not bundle) loads from node_modules too.
export default defineConfig({
  input: { prose: "dist/src/cli/main.js" },
  platform: "node",
  external: [/^chevrotain/, /^openai/, /^@anthropic-ai\//, /^@google\//, /^@aws-sdk\//, /^@smithy\//, /^google-auth-library/, /^pdfjs-dist/, /^jsonc-parser/, /^@napi-rs\//, /^@opentelemetry\//, /^re2js/, /^nodemailer/, /^fastify/, /^bullmq/],
  output: { dir: "dist/cli", format: "esm", entryFileNames: "[name].mjs", chunkFileNames: "chunks/[name]-[hash].mjs" },
  logLevel: "warn",
});
