// The error classes of jiko-onboarding. The WebAssembly module throws instances of
// these (the package's entry module registers them with it once, at load time).
// Messages never contain a rejected value, a secret or personal data.

/** Every error of the SDK. `code` is stable: match on it, not on `message`. */
export class JikoError extends Error {
  constructor(message, code, details) {
    super(message);
    this.name = "JikoError";
    this.code = code;
    void details;
  }
}

/** Client-side validation failed; `errors` lists every problem at once. */
export class JikoValidationError extends JikoError {
  constructor(message, code, details) {
    super(message, code);
    this.name = "JikoValidationError";
    this.errors = (details && details.errors) || [];
  }
}

/** The server answered with an error status, or with a body the SDK cannot read. */
export class JikoApiError extends JikoError {
  constructor(message, code, details) {
    super(message, code);
    const d = details || {};
    this.name = "JikoApiError";
    this.status = typeof d.status === "number" ? d.status : 0;
    this.kind = d.kind || "unexpected";
    this.errors = d.errors || [];
    this.retryAfterSeconds = typeof d.retryAfterSeconds === "number" ? d.retryAfterSeconds : null;
    this.retryable = d.retryable === true;
  }
}

/** An upload refused before anything was sent: `empty`, `too_large` or `wrong_type`. */
export class JikoDocumentError extends JikoError {
  constructor(message, code, details) {
    super(message, code, details);
    this.name = "JikoDocumentError";
  }
}

/**
 * A webhook delivery that must not be trusted: `missing_signature`, `bad_signature` or
 * `malformed`. Answer it with 401 (or 400 for `malformed`) and do not act on it.
 */
export class JikoWebhookError extends JikoError {
  constructor(message, code, details) {
    super(message, code, details);
    this.name = "JikoWebhookError";
  }
}

/**
 * An onboarding flow stopped, or refused a call (`consent_version_outdated`,
 * `create_outcome_unknown`, `stalled`, `application_required`, `application_mismatch`,
 * `snapshot_invalid`, `unknown_attempt`, `document_not_accepted`, `unexpected_answer`).
 * For `create_outcome_unknown`, `idempotencyKey` is the key of the Create whose outcome
 * is unknown: give it to Jiko's support to learn what became of it.
 */
export class JikoFlowError extends JikoError {
  constructor(message, code, details) {
    super(message, code);
    this.name = "JikoFlowError";
    this.idempotencyKey = (details && details.idempotencyKey) || null;
  }
}

/**
 * A request got no answer: `kind` is `not_sent` (nothing reached the server),
 * `timed_out` or `reset`; `code` is `transport_` and the kind. A flow retries these
 * itself; a `waiting` result carries the last one while the flow waits out an outage.
 */
export class JikoTransportError extends JikoError {
  constructor(message, code, details) {
    super(message, code);
    this.name = "JikoTransportError";
    this.kind = (details && details.kind) || "reset";
  }
}
