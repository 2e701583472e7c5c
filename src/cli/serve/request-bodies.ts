import { z } from "zod";
import { runStatuses } from "./run-filters.js";

/** Every body and query the API takes: strict (an unknown field is refused, not ignored). */
const inputValue = z.union([z.string().max(100_000), z.number(), z.boolean()]);

export const newRunBody = z.strictObject({
  script: z.string().min(1).max(1000),
  inputs: z.union([z.record(z.string().min(1).max(200), inputValue), z.array(z.string().max(100_000)).max(1000)]).optional(),
  agent: z.string().min(1).max(100).optional(),
  project: z.string().min(1).max(200).optional(),
  concurrency: z.number().int().min(1).max(256).optional(),
  timeoutSeconds: z.number().positive().max(7 * 24 * 3600).optional(),
});

export const answersBody = z.strictObject({
  answers: z.union([z.record(z.string().min(1).max(2000), z.unknown()), z.array(z.string().max(100_000)).max(1000)]),
});

export const sessionBody = z.strictObject({ token: z.string().min(1).max(512) });

export const runsQuery = z.strictObject({
  status: z.enum(runStatuses).optional(),
  agent: z.string().min(1).max(100).optional(),
});

export const usageQuery = z.strictObject({
  agent: z.string().min(1).max(100).optional(),
  project: z.string().min(1).max(200).optional(),
  since: z.string().min(1).max(100).optional(),
  by: z.string().min(1).max(20).optional(),
});

export const questionsQuery = z.strictObject({ agent: z.string().min(1).max(100).optional() });

export const emptyQuery = z.strictObject({});
