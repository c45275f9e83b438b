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
