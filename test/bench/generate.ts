/**
 * Deterministic generators for the parse benchmark: a long Prose script that reads like real
 * automation (facts with possessives and ordinals, conditions, loops, procedures and their
 * calls, interpolated `say`s, standard procedures with parameter blocks), and a JavaScript
 * file of the same byte size for acorn to parse as the baseline.
 */

/** A small seeded generator (mulberry32), so every run parses the same text. */
export function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let mixed = state;
    mixed = Math.imul(mixed ^ (mixed >>> 15), mixed | 1);
    mixed ^= mixed + Math.imul(mixed ^ (mixed >>> 7), mixed | 61);
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4294967296;
  };
}

const adjectives = ["northern", "southern", "eastern", "western", "central", "main", "spare", "urgent", "yearly", "monthly", "weekly", "local"];
const nouns = ["invoice", "order", "payment", "shipment", "contract", "ticket", "account", "report", "claim", "booking"];
const attributes = ["total", "amount", "balance", "fee"];
const words = ["status", "reference", "owner", "note", "priority", "channel"];
const items: Array<[string, string]> = [["vendor", "vendors"], ["customer", "customers"], ["supplier", "suppliers"], ["field", "fields"], ["page", "pages"], ["entry", "entries"]];
const ordinals = ["first", "second", "third", "fourth", "last"];
const verbs = ["approve", "review", "archive", "escalate", "settle", "reconcile", "notify", "verify", "publish", "register", "audit", "close"];
const places = ["office", "desk", "team", "region", "branch", "depot", "store", "hub"];
const people = ["Acme", "Globex", "Initech", "Umbrella", "Hooli", "Stark", "Wayne", "Wonka"];

interface Procedure {
  verb: string;
  noun: string;
  adjective: string;
  place: string;
}

/** A Prose script of exactly `lines` lines that parses and checks without a single diagnostic. */
export function generateProse(lines: number, seed = 20_000): string {
  const next = random(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)];
  const amount = () => `${Math.floor(next() * 5000)}.${String(Math.floor(next() * 100)).padStart(2, "0")}`;

  // Every combination of verb, adjective and place is one procedure name; shuffled, so calls
  // meet several procedures that start with the same verb, as in a real script.
  const procedures: Procedure[] = [];
  for (const verb of verbs) for (const adjective of adjectives) for (const place of places) procedures.push({ verb, noun: pick(nouns), adjective, place });
  for (let index = procedures.length - 1; index > 0; index--) {
    const other = Math.floor(next() * (index + 1));
    [procedures[index], procedures[other]] = [procedures[other], procedures[index]];
  }
  const defined: Procedure[] = [];
  let nextProcedure = 0;

  const out: string[] = [];
  const emit = (...more: string[]) => out.push(...more);
  const fact = () => `the ${pick(adjectives)} ${pick(nouns)}`;

  const sections: Array<[weight: number, write: () => void]> = [
    // Facts: values, attributes through possessives, lists built through ordinals.
    [6, () => {
      const subject = fact();
      const [item] = pick(items);
      const attribute = pick(attributes);
      emit(
        `${subject} is "${pick(people)} ${Math.floor(next() * 900) + 100}"`,
        `${subject}'s ${attribute} is ${amount()}`,
        `${subject}'s ${pick(words)} is "${pick(verbs)}d"`,
        `the ${pick(ordinals.slice(0, 3))} ${item} is "${pick(people)}"`,
        `the first ${item}'s ${pick(words)} is "${pick(places)}"`,
        `the ${pick(adjectives)} codes are "SAVE20", "SALE2024" and "JUST4U"`,
        `set the ${pick(adjectives)} total to ${subject}'s ${attribute} plus ${Math.floor(next() * 100)} * 2`,
      );
    }],
    // Conditions with otherwise branches.
    [5, () => {
      const subject = fact();
      emit(
        `if ${subject}'s total is greater than 1000 and ${subject}'s status is not "closed" then`,
        `    say "${subject.slice(4)} {${subject}'s reference} needs approval"`,
        `    ${subject}'s status is "pending"`,
        `otherwise if ${subject}'s owner is "${pick(people)}"`,
        `    say "trusted owner"`,
        `otherwise`,
        `    say "auto-approved: {${subject}'s total}"`,
        `    add 1 to the ${pick(adjectives)} counter`,
      );
    }],
    // Loops of each kind.
    [5, () => {
      const [item, plural] = pick(items);
      const adjective = pick(adjectives);
      emit(
        `process each ${item} in the ${plural} as follows`,
        `    say "Checking {the ${item}} for the ${adjective} ${pick(places)}"`,
        `    if the ${item} starts with "S"`,
        `        add 1 to the ${adjective} counter`,
        `for each ${item} in the ${adjective} ${plural}`,
        `    say the ${item}`,
        `repeat 3 times`,
        `    subtract ${Math.floor(next() * 10) + 1} from the ${adjective} budget`,
      );
    }],
    // Procedure definitions.
    [3, () => {
      if (nextProcedure === procedures.length) return;
      const procedure = procedures[nextProcedure++];
      defined.push(procedure);
      const { verb, noun, adjective, place } = procedure;
      emit(
        `to ${verb} a ${noun} for the ${adjective} ${place}`,
        `    the ${noun}'s status is "${verb}d"`,
        `    the ${noun}'s ${place} is "${adjective}"`,
        `    say "${verb}: {the ${noun}'s reference} at the ${adjective} ${place}"`,
        `    the result is the ${noun}`,
        ``,
      );
    }],
    // Calls of the script's own procedures, with a named result now and then.
    [6, () => {
      if (defined.length === 0) return;
      const first = pick(defined);
      const second = pick(defined);
      emit(
        `${first.verb} ${fact()} for the ${first.adjective} ${first.place}`,
        `${second.verb} "INV-${Math.floor(next() * 9000) + 1000}" for the ${second.adjective} ${second.place} as the ${pick(adjectives)} outcome`,
      );
    }],
    // Standard procedures with parameter blocks.
    [5, () => {
      const subject = fact();
      const [, plural] = pick(items);
      const adjective = pick(adjectives);
      emit(
        `split ${subject}'s note into parts`,
        `    the delimiter is ","`,
        `join the ${adjective} ${plural} as the ${adjective} summary`,
        `    the separator is ", "`,
        `round ${subject}'s total`,
        `    the decimals are 2`,
        `sort the ${adjective} totals`,
        `    the order is "descending"`,
        `    the key is "total"`,
        `make ${subject}'s reference uppercase`,
        `replace "-" with "/" in ${subject}'s reference`,
      );
    }],
    // Comments and blank lines, as people write them.
    [2, () => emit(``, `# ${pick(verbs)} the ${pick(adjectives)} ${pick(nouns)}s`)],
  ];
  const totalWeight = sections.reduce((sum, [weight]) => sum + weight, 0);
  const longestSection = 12;
  while (out.length < lines - longestSection) {
    let roll = next() * totalWeight;
    for (const [weight, write] of sections) {
      roll -= weight;
      if (roll < 0) {
        write();
        break;
      }
    }
  }
  // One-line facts fill the last few lines, so that no section is cut in half.
  while (out.length < lines) emit(`${fact()}'s ${pick(attributes)} is ${amount()}`);
  return `${out.join("\n")}\n`;
}

/**
 * JavaScript of exactly `bytes` bytes (ASCII), written the way application code is: functions,
 * classes, objects, loops, conditions, template literals, calls. A final comment pads it.
 */
export function generateJavaScript(bytes: number, seed = 7): string {
  const next = random(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)];
  const parts: string[] = [];
  let size = 0;
  let counter = 0;
  const emit = (text: string) => {
    parts.push(text);
    size += text.length;
  };
  const templates: Array<() => string> = [
    () => {
      const noun = pick(nouns);
      return [
        `export function ${pick(verbs)}${capital(noun)}${counter}(${noun}, options = {}) {`,
        `  const total = ${noun}.lines.reduce((sum, line) => sum + line.amount * (1 + line.tax), 0);`,
        `  if (total > 1000 && ${noun}.status !== "closed") {`,
        `    console.log(\`${noun} \${${noun}.reference} needs approval\`);`,
        `    ${noun}.status = "pending";`,
        `  } else if (${noun}.owner === "${pick(people)}") {`,
        `    console.log("trusted owner");`,
        `  } else {`,
        `    console.log(\`auto-approved: \${total.toFixed(2)}\`);`,
        `  }`,
        `  return { ...${noun}, total, checkedAt: options.now ?? Date.now() };`,
        `}`,
        ``,
      ].join("\n");
    },
    () => {
      const [item, plural] = pick(items);
      return [
        `for (const ${item} of state.${plural}) {`,
        `  if (${item}.name.startsWith("S")) counters.${pick(adjectives)} += 1;`,
        `  else report.push({ name: ${item}.name, place: "${pick(places)}", index: ${counter} });`,
        `}`,
        `for (let round = 0; round < 3; round++) budget.${pick(adjectives)} -= ${Math.floor(next() * 10) + 1};`,
        ``,
      ].join("\n");
    },
    () => {
      const name = `${capital(pick(adjectives))}${capital(pick(nouns))}Store${counter}`;
      return [
        `class ${name} extends BaseStore {`,
        `  #items = new Map();`,
        `  constructor(config) {`,
        `    super(config);`,
        `    this.limit = config.limit ?? ${Math.floor(next() * 100)};`,
        `  }`,
        `  add(key, value) {`,
        `    if (this.#items.size >= this.limit) throw new Error(\`full: \${key}\`);`,
        `    this.#items.set(key, { value, at: new Date().toISOString() });`,
        `    return this;`,
        `  }`,
        `  get size() { return this.#items.size; }`,
        `}`,
        ``,
      ].join("\n");
    },
    () => {
      const noun = pick(nouns);
      return [
        `const ${noun}${counter} = { reference: "INV-${Math.floor(next() * 9000) + 1000}", amount: ${Math.floor(next() * 5000)}.${Math.floor(next() * 90) + 10}, codes: ["SAVE20", "SALE2024", "JUST4U"] };`,
        `${noun}${counter}.parts = ${noun}${counter}.reference.split("-").map((part) => part.trim()).filter(Boolean);`,
        `const summary${counter} = [${noun}${counter}.reference, ...${noun}${counter}.codes].join(", ").toUpperCase().replace("-", "/");`,
        `// ${pick(verbs)} the ${pick(adjectives)} ${noun}s`,
        ``,
      ].join("\n");
    },
  ];
  while (true) {
    const text = pick(templates)();
    counter++;
    if (size + text.length > bytes - 3) break;
    emit(text);
  }
  const padding = bytes - size;
  if (padding >= 3) emit(`//${"x".repeat(padding - 3)}\n`);
  return parts.join("");
}

function capital(word: string): string {
  return word[0].toUpperCase() + word.slice(1);
}
