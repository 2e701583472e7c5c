import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";

/**
 * Chevrotain, loaded from the single-file bundle its package ships (`lib/chevrotain.mjs`).
 * The package's main entry loads lodash-es as hundreds of modules, which costs about 240 ms
 * at every start of `prose`; the bundle holds the same code and loads in about 10 ms.
 * The package's exports map does not expose the bundle, so it is found beside the entry.
 */
type Chevrotain = typeof import("chevrotain");

async function loadChevrotain(): Promise<Chevrotain> {
  try {
    const entry = createRequire(import.meta.url).resolve("chevrotain");
    const bundle = join(dirname(entry), "..", "chevrotain.mjs");
    return (await import(pathToFileURL(bundle).href)) as Chevrotain;
  } catch {
    return await import("chevrotain");
  }
}

const chevrotain = await loadChevrotain();

export const { createToken, createTokenInstance, CstParser, EOF, Lexer, defaultParserErrorProvider, generateCstDts } = chevrotain;
