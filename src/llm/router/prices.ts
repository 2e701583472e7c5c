import type { ProviderType } from "../language-model.js";
import { providerDescriptor } from "../provider-registry.js";
import priceTable from "./prices.json" with { type: "json" };

/** USD per million tokens. */
export interface ModelPrice {
  input: number;
  output: number;
}

export interface PriceTable {
  /** The date the prices were taken (YYYY-MM-DD). */
  takenOn: string;
  models: Record<string, ModelPrice>;
}

export const prices: PriceTable = priceTable;

/**
 * A model's price: by its id; by the id its type's descriptor lists it as (a Bedrock cross-region
 * inference profile `us.…` is its model); otherwise a dated snapshot (`gpt-4o-mini-2024-07-18`)
 * as its model. Custom servers are unpriced unless they serve a model of the table under its own name.
 */
export function priceOf(model: string, providerType: ProviderType, table: PriceTable = prices): ModelPrice | undefined {
  const direct = table.models[model];
  if (direct !== undefined) return direct;
  const listedAs = providerDescriptor(providerType).models.listedAs;
  if (listedAs !== undefined) return table.models[listedAs(model)];
  const undated = model.replace(/-\d{4}-\d{2}-\d{2}$/, "");
  return undated === model ? undefined : table.models[undated];
}

/** The estimated cost in USD, or null when the model has no price; tokens not reported cost nothing. */
export function estimatedCost(price: ModelPrice | undefined, inputTokens: number | null | undefined, outputTokens: number | null | undefined): number | null {
  if (price === undefined) return null;
  const cost = ((inputTokens ?? 0) * price.input + (outputTokens ?? 0) * price.output) / 1_000_000;
  return Math.round(cost * 1e10) / 1e10;
}
