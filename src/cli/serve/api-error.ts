/**
 * An API request that cannot be done as asked: its HTTP status, and the English message and fix
 * the client gets as `{"error": {"message", "fix"}}` (never data, never a stack trace).
 */
export class ApiError extends Error {
  override readonly name = "ApiError";
  constructor(
    readonly status: number,
    message: string,
    readonly fix: string,
  ) {
    super(message);
  }
}

export interface ErrorBody {
  error: { message: string; fix: string };
}

export function errorBody(message: string, fix: string): ErrorBody {
  return { error: { message, fix } };
}
