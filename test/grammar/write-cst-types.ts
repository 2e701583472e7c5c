import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { cstTypesText } from "./cst-types-text.js";

/** `npm run cst-types`: writes grammar/cst.ts from the parser's rules (run from dist/test/grammar). */
const target = fileURLToPath(new URL("../../../grammar/cst.ts", import.meta.url));
writeFileSync(target, cstTypesText());
console.log(`wrote ${target}`);
