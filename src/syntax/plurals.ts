/**
 * English plurals for the names the language derives: `process each page` iterates `the pages`,
 * `the first vendor` is an item of `the vendors`. Only the last word of a name changes.
 */
const irregular: Record<string, string> = {
  person: "people",
  child: "children",
  man: "men",
  woman: "women",
  foot: "feet",
  tooth: "teeth",
  mouse: "mice",
  criterion: "criteria",
  datum: "data",
  analysis: "analyses",
  index: "indices",
};

const unchanged = new Set(["data", "information", "series", "species", "news", "feedback", "equipment", "staff"]);

function pluralWord(word: string): string {
  if (irregular[word]) return irregular[word];
  if (unchanged.has(word)) return word;
  if (/[^aeiou]y$/.test(word)) return `${word.slice(0, -1)}ies`;
  if (/(s|x|z|ch|sh)$/.test(word)) return `${word}es`;
  if (/[^aeiou]o$/.test(word) && !/(photo|memo|logo|video|radio|zero|piano|pro)$/.test(word)) return `${word}es`;
  if (/(?:[^f]fe|[lr]f)$/.test(word)) return word.replace(/fe?$/, "ves");
  return `${word}s`;
}

export function pluralOf(name: string): string {
  const words = name.split(" ");
  words[words.length - 1] = pluralWord(words[words.length - 1]);
  return words.join(" ");
}

/** Best guess at the singular, for `process each … in the invoices` messages and `the invoices' totals`. */
export function singularOf(name: string): string {
  const words = name.split(" ");
  const last = words[words.length - 1];
  const reverse = Object.entries(irregular).find(([, plural]) => plural === last);
  let singular = last;
  if (reverse) singular = reverse[0];
  else if (unchanged.has(last)) singular = last;
  else if (/ies$/.test(last)) singular = `${last.slice(0, -3)}y`;
  else if (/(s|x|z|ch|sh)es$/.test(last)) singular = last.slice(0, -2);
  else if (/s$/.test(last) && !/ss$/.test(last)) singular = last.slice(0, -1);
  words[words.length - 1] = singular;
  return words.join(" ");
}
