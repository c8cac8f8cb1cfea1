/** A field-level problem in a request: which field, and what is wrong with it. */
export interface FieldIssue {
  field: string;
  message: string;
}

/**
 * An expected business error. It becomes a 4xx JSON body `{code, message, details}`; anything else that
 * escapes a handler is a bug and becomes a 500 without internals.
 */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

export const badRequest = (code: string, message: string, details?: unknown) => new AppError(400, code, message, details);
export const invalidField = (field: string, message: string) =>
  new AppError(400, "validation_failed", `${field}: ${message}`, [{ field, message }] satisfies FieldIssue[]);
export const unauthorized = (message = "sign in first") => new AppError(401, "unauthorized", message);
export const forbidden = (message = "not allowed") => new AppError(403, "forbidden", message);
export const notFound = (what: string) => new AppError(404, "not_found", `${what} not found`);
export const conflict = (code: string, message: string, details?: unknown) => new AppError(409, code, message, details);
export const unprocessable = (code: string, message: string, details?: unknown) => new AppError(422, code, message, details);
export const tooManyRequests = (message: string, retryAfterSeconds: number) =>
  new AppError(429, "rate_limited", message, { retryAfterSeconds });
