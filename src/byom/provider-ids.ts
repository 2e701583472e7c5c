import { randomInt } from "node:crypto";
import type { ProviderType } from "../llm/language-model.js";

const randomAlphabet = "abcdefghijklmnopqrstuvwxyz0123456789";

/** Lower-case letters and digits joined by single `-`, at most 40 characters: "My vLLM #1" → "my-vllm-1". */
export function slugOf(name: string): string {
  const slug = name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
  return slug.slice(0, 40).replace(/-+$/, "");
}

export interface IdSources {
  now(): number;
  /** A whole number from 0 up to (not including) `limit`. */
  randomBelow(limit: number): number;
}

export const systemIdSources: IdSources = { now: () => Date.now(), randomBelow: (limit) => randomInt(limit) };

/**
 * `<type>-<slug of the name>-<epoch ms>-<6 random [a-z0-9]>`, the same form for every type,
 * for example `custom-my-vllm-1764100945699-r6jisd`. A name without letters or digits leaves
 * the slug out.
 */
export function newProviderId(type: ProviderType, name: string, sources: IdSources = systemIdSources): string {
  let suffix = "";
  for (let index = 0; index < 6; index += 1) suffix += randomAlphabet[sources.randomBelow(randomAlphabet.length)];
  const slug = slugOf(name);
  return [type, ...(slug === "" ? [] : [slug]), String(sources.now()), suffix].join("-");
}
