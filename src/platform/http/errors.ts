import type { FastifyError, FastifyInstance } from "fastify";
import { AppError, type FieldIssue } from "../errors.js";

/** Turns an Ajv error list into `details: [{field, message}]` with JSON-pointer-like field paths. */
function fieldIssues(err: FastifyError): FieldIssue[] {
  return (err.validation ?? []).map((v) => {
    const params = v.params as Record<string, unknown>;
    const base = (v.instancePath || "").replace(/^\//, "").replace(/\//g, ".");
    const extra = (params.missingProperty ?? params.additionalProperty) as string | undefined;
    const field = [err.validationContext && err.validationContext !== "body" ? err.validationContext : "", base, extra ?? ""]
      .filter(Boolean)
      .join(".");
    const message = params.additionalProperty ? `unknown field ${params.additionalProperty}` : (v.message ?? "is invalid");
    return { field: field || (err.validationContext ?? "body"), message };
  });
}

/** One error shape for every failure: `{code, message, details?}`. Bad input is a 4xx, never a 500. */
export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError, request, reply) => {
    if (err instanceof AppError) {
      if (err.status === 429) {
        const retry = (err.details as { retryAfterSeconds?: number } | undefined)?.retryAfterSeconds;
        if (retry) void reply.header("Retry-After", String(retry));
      }
      return reply.status(err.status).send({ code: err.code, message: err.message, details: err.details });
    }
    if (err.validation) {
      const details = fieldIssues(err);
      const first = details[0];
      return reply.status(400).send({
        code: "validation_failed",
        message: first ? `${first.field}: ${first.message}` : "the request is invalid",
        details,
      });
    }
    const status = err.statusCode ?? 500;
    const FASTIFY_CODES: Record<string, string> = {
      FST_ERR_CTP_INVALID_JSON_BODY: "invalid_json",
      FST_ERR_CTP_EMPTY_JSON_BODY: "empty_body",
      FST_ERR_CTP_INVALID_MEDIA_TYPE: "unsupported_media_type",
      FST_ERR_CTP_BODY_TOO_LARGE: "body_too_large",
    };
    if (status >= 400 && status < 500) {
      // Fastify's own client errors: malformed JSON, wrong content type, body too large, …
      return reply.status(status).send({ code: FASTIFY_CODES[err.code] ?? "bad_request", message: err.message, details: [{ field: "body", message: err.message }] });
    }
    request.log.error({ err }, "unhandled error");
    return reply.status(500).send({ code: "internal_error", message: "something went wrong on our side", details: { requestId: request.id } });
  });
  app.setNotFoundHandler((request, reply) => {
    void reply.status(404).send({ code: "not_found", message: `no route ${request.method} ${request.url.split("?")[0]}` });
  });
}
