/** The family of a `JikoApiError`. */
export type ApiErrorKind =
  | "unauthorized"
  | "forbidden"
  | "not_found"
  | "validation"
  | "conflict"
  | "rate_limited"
  | "server"
  | "unexpected"
  | "invalid_response";

/** Why an upload was refused before sending. */
export type DocumentErrorCode = "empty" | "too_large" | "wrong_type";

/**
 * Every error of the SDK. `code` is stable (`invalid_argument`, `invalid_config`,
 * `browser_secret`, `invalid_secret`, `invalid_base_url`, `invalid_partner`,
 * `invalid_environment`, `invalid_token`, `invalid_application_id`,
 * `invalid_idempotency_key`, `invalid_document_type`, `invalid_date`, ...): match on it,
 * not on `message`. Messages never contain a rejected value, a secret or personal data.
 */
export declare class JikoError extends Error {
  constructor(message: string, code: string, details?: unknown);
  /** Stable machine-readable code. */
  code: string;
}

/** Client-side validation failed: `errors` lists every problem at once. */
export declare class JikoValidationError extends JikoError {
  constructor(message: string, code: string, details?: { errors?: FieldError[] });
  code: "validation_failed";
  /** Every field error, in the order the fields appear in the request. */
  errors: FieldError[];
}

/** The server answered with an error status, or with a 2xx body the SDK cannot read. */
export declare class JikoApiError extends JikoError {
  constructor(
    message: string,
    code: string,
    details?: {
      status?: number;
      kind?: ApiErrorKind;
      errors?: FieldError[];
      retryAfterSeconds?: number | null;
      retryable?: boolean;
    },
  );
  /** `api_` and the kind, such as `api_not_found`. */
  code: `api_${ApiErrorKind}`;
  /** The HTTP status. */
  status: number;
  /** The family of the failure. */
  kind: ApiErrorKind;
  /** The server's field errors of a 400 or 422 (paths without the leading `body`). */
  errors: FieldError[];
  /** Seconds from the `Retry-After` header passed to the parser; `null` when none. */
  retryAfterSeconds: number | null;
  /** Whether resending the same prepared request may succeed (429 and 5xx). */
  retryable: boolean;
}

/** An upload refused before anything was sent. */
export declare class JikoDocumentError extends JikoError {
  constructor(message: string, code: string, details?: unknown);
  code: DocumentErrorCode;
}

/** Why a webhook delivery was refused. */
export type WebhookErrorCode = "missing_signature" | "bad_signature" | "malformed";

/** A webhook delivery that must not be trusted: do not act on it. */
export declare class JikoWebhookError extends JikoError {
  constructor(message: string, code: string, details?: unknown);
  code: WebhookErrorCode;
}

/** Why an onboarding flow stopped, or refused a call. */
export type FlowErrorCode =
  | "consent_version_outdated"
  | "create_outcome_unknown"
  | "stalled"
  | "application_required"
  | "application_mismatch"
  | "snapshot_invalid"
  | "unknown_attempt"
  | "document_not_accepted"
  | "unexpected_answer";

/** An onboarding flow stopped, or refused a call. */
export declare class JikoFlowError extends JikoError {
  constructor(message: string, code: string, details?: { idempotencyKey?: string | null });
  code: FlowErrorCode;
  /** For `create_outcome_unknown`: the key of the Create whose outcome is unknown. */
  idempotencyKey: string | null;
}

/** A request got no answer (`transport_not_sent`, `transport_timed_out`, `transport_reset`). */
export declare class JikoTransportError extends JikoError {
  constructor(message: string, code: string, details?: { kind?: "not_sent" | "timed_out" | "reset" });
  code: "transport_not_sent" | "transport_timed_out" | "transport_reset";
  /** How the request failed. */
  kind: "not_sent" | "timed_out" | "reset";
}
