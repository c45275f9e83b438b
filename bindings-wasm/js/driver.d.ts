/** The partner's credentials and the driver's options (`new Onboarding(config, credentials)`). */
export interface OnboardingOptions {
  /** Login's username. */
  username: string;
  /** Login's password. */
  password: string;
  /** The partner's shared signing secret. */
  signingSecret: string | Uint8Array;
  /**
   * Any fetch-compatible function (undici, node-fetch, a test double); `globalThis.fetch`
   * when left out. It is called with `redirect: "manual"` and an `AbortSignal` per request.
   */
  fetch?: (input: string, init: OnboardingFetchInit) => Promise<OnboardingFetchResponse>;
  /** Reports each step of every flow (see `OnboardingEvent`); an exception it throws is ignored. */
  onEvent?: (event: OnboardingEvent) => void;
  /** Flow settings that differ from the defaults (webhooks, policies, timeouts, a seed for tests). */
  flowConfig?: FlowConfig;
  /** The clock and timers (tests use a virtual one); the system's when left out. */
  clock?: OnboardingClock;
}

/** What the driver passes to `fetch`. */
export interface OnboardingFetchInit {
  method: "GET" | "POST";
  headers: [string, string][];
  body: Uint8Array<ArrayBuffer> | undefined;
  redirect: "manual";
  signal: AbortSignal;
}

/** What the driver reads from a `fetch` response (a `Response` has all of it). */
export interface OnboardingFetchResponse {
  status: number;
  type?: string;
  headers: { forEach(callback: (value: string, name: string) => void): void };
  arrayBuffer(): Promise<ArrayBuffer>;
}

/** Milliseconds since the Unix epoch, and a sleep that ends early when `signal` aborts. */
export interface OnboardingClock {
  now(): number;
  sleep(ms: number, signal: AbortSignal): Promise<void>;
}

/**
 * What a flow did, for logs and metrics: operations, path templates, statuses, reasons
 * and delays, and the application id. Never personal data, a token or a number.
 */
export type OnboardingEvent = (
  | {
      type: "request";
      operation: Operation;
      method: "GET" | "POST";
      /** The path with its ids as placeholders. */
      path: string;
      attempt: number;
    }
  | {
      type: "response";
      operation: Operation;
      method: "GET" | "POST";
      path: string;
      attempt: number;
      status: number;
      duration_ms: number;
    }
  | {
      type: "transport_error";
      operation: Operation;
      method: "GET" | "POST";
      path: string;
      attempt: number;
      kind: TransportErrorKind;
      duration_ms: number;
    }
  | { type: "retry"; reason: RetryReason | null; delay_ms: number }
  | { type: "wait"; reason: FlowWaitReason; delay_ms: number }
  | {
      type: "returned";
      state: FlowState;
      /** For `documents_needed`. */
      requirements?: DocumentRequirement[];
      /** For `waiting`. */
      next_check_at?: string | null;
      /** For `failed`, or a `waiting` flow's transient failure. */
      error_code?: string;
    }
) & {
  /** The application's id, once created. */
  application_id: string | null;
};

/** The options of `flow.run()`. */
export interface RunOptions {
  /** Return `waiting` when the next step is more than this many seconds away (default 60). */
  maxWait?: number;
  /** Cancels the run; the flow's snapshot stays valid. */
  signal?: AbortSignal;
}

/**
 * One per partner: the configuration, the credentials and one shared login. Node, Deno,
 * Bun and edge runtimes only (never in a web page: it holds the signing secret).
 */
export declare class Onboarding {
  constructor(config: ClientConfig, credentials: OnboardingOptions);
  /**
   * A flow for this application, validated at once (a `JikoValidationError`, nothing
   * sent); nothing is sent until `run`. `today` (`YYYY-MM-DD`) defaults to the UTC date.
   */
  start(application: CreateApplicationRequest | string | Uint8Array | ArrayBuffer, options?: { today?: string }): Flow;
  /**
   * A flow continued from `flow.snapshot()`. The application is needed again only while
   * its Create has not been answered (a `JikoFlowError` `application_required` says so).
   */
  resume(snapshot: string, application?: CreateApplicationRequest | string | Uint8Array | ArrayBuffer | null): Flow;
  toString(): string;
  toJSON(): string;
}

/** One applicant's journey (from `onboarding.start` or `onboarding.resume`). */
export declare class Flow {
  private constructor();
  /** The application's id, once created. */
  readonly applicationId: string | null;
  /**
   * Sends, retries, polls and sleeps until the journey ends, documents are needed, or the
   * next step is more than `maxWait` seconds away.
   */
  run(options?: RunOptions): Promise<FlowResult>;
  /** Something happened (a webhook): the flow reads the application at once. */
  notify(): void;
  /** A document for Jiko's request (checked now), uploaded by `run`. */
  provideDocument(documentType: DocumentType, contentType: string, data: Uint8Array | ArrayBuffer): void;
  /** Everything needed to continue, as JSON text: no personal data, no secrets. */
  snapshot(): string;
  toString(): string;
  toJSON(): string;
}
