/** Reading the parts of an SDK's HTTP error that every adapter needs, without dumping bodies. */

export interface StatusError {
  status: number;
  headers: Headers | Record<string, string | string[] | undefined> | undefined;
  /** The parsed error body, or what the SDK kept of it. */
  body: unknown;
}

/** An SDK error that carries an HTTP status (the SDKs' `APIError` shapes), recognised without loading the SDK. */
export function asStatusError(error: unknown): StatusError | undefined {
  if (typeof error !== "object" || error === null) return undefined;
  const candidate = error as { status?: unknown; headers?: unknown; error?: unknown };
  if (typeof candidate.status !== "number" || candidate.status < 100) return undefined;
  const headers = candidate.headers instanceof Headers || isRecord(candidate.headers) ? candidate.headers : undefined;
  return { status: candidate.status, headers: headers as StatusError["headers"], body: candidate.error };
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function stringField(value: unknown, key: string): string | undefined {
  if (!isRecord(value)) return undefined;
  const field = value[key];
  return typeof field === "string" ? field : undefined;
}

/** A non-JSON error body is shown only when it is one short plain-text line (never an HTML page). */
export function plainTextMessage(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  const line = text.trim();
  if (line === "" || line.length > 200 || /[<{\n]/.test(line)) return undefined;
  return line;
}
