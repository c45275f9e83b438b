// The Onboarding driver: a short loop over the core's flow engine (OnboardingFlow) that
// sends with `fetch` and sleeps with timers. The engine decides everything else
// (retries, keys, polling, documents, what an answer means); this file only moves bytes
// and time, and reports what it does to `onEvent`.
//
// It is written once, as `defineDriver(api)`, and bound by each entry module to its own
// instance of the WebAssembly module (ESM for Deno, Bun and edge runtimes; CommonJS for
// Node). Never part of jiko-onboarding/browser: a web page cannot hold the secret.

/** The driver's classes over one instance of the module's exports. */
export function defineDriver(api) {
  const { Client, OnboardingFlow, Authenticator, JikoError } = api;

  const ONBOARDING_OPTIONS = ["username", "password", "signingSecret", "fetch", "onEvent", "flowConfig", "clock"];
  const START_OPTIONS = ["today"];
  const RUN_OPTIONS = ["maxWait", "signal"];
  // setTimeout's largest delay; longer sleeps are taken in pieces.
  const MAX_TIMER_MS = 2 ** 31 - 1;
  // No answer of Jiko's comes near this; a larger one (a proxy, a captive portal) is
  // refused as `reset` before it fills the memory, as in the other drivers.
  const MAX_ANSWER_BYTES = 16 * 1024 * 1024;

  /** The body, at most MAX_ANSWER_BYTES: read whole when its length is declared, else counted. */
  async function readBody(response) {
    const declared = response.headers.get("content-length");
    if (declared !== null && /^[0-9]+$/.test(declared.trim())) {
      if (Number(declared) > MAX_ANSWER_BYTES) {
        await response.body?.cancel();
        throw new RangeError(`the answer is larger than ${MAX_ANSWER_BYTES} bytes`);
      }
      return new Uint8Array(await response.arrayBuffer());
    }
    if (!response.body) return new Uint8Array(0);
    const reader = response.body.getReader();
    const chunks = [];
    let size = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > MAX_ANSWER_BYTES) {
        await reader.cancel();
        throw new RangeError(`the answer is larger than ${MAX_ANSWER_BYTES} bytes`);
      }
      chunks.push(value);
    }
    const body = new Uint8Array(size);
    let at = 0;
    for (const chunk of chunks) {
      body.set(chunk, at);
      at += chunk.byteLength;
    }
    return body;
  }

  const argumentError = (message) => new JikoError(message, "invalid_argument");

  /** A plain options object with known keys only (a typo must not fall back to a default). */
  function options(value, known, what) {
    if (value === undefined || value === null) return {};
    if (typeof value !== "object" || Array.isArray(value)) throw argumentError(`${what} must be an object`);
    for (const key of Object.keys(value)) {
      if (!known.includes(key)) throw argumentError(`${what} has no option ${JSON.stringify(key)} (options: ${known.join(", ")})`);
    }
    return value;
  }

  /** The clock of the host: milliseconds since the Unix epoch, and timers. */
  const systemClock = {
    now: () => Date.now(),
    sleep: (ms, signal) =>
      new Promise((resolve) => {
        const timer = setTimeout(resolve, ms);
        signal.addEventListener("abort", () => (clearTimeout(timer), resolve()), { once: true });
      }),
  };

  /**
   * `signal` or `timeout`, whichever aborts first, and a function that lets go of
   * `signal` once the request is over (AbortSignal.any is Node 20.3+; without it, a
   * listener left on a run's long-lived signal per request would pile up).
   */
  function eitherSignal(signal, timeout) {
    if (!signal) return [timeout, () => {}];
    if (typeof AbortSignal.any === "function") return [AbortSignal.any([signal, timeout]), () => {}];
    const both = new AbortController();
    const listening = [];
    for (const s of [signal, timeout]) {
      if (s.aborted) {
        both.abort(s.reason);
      } else {
        const onAbort = () => both.abort(s.reason);
        s.addEventListener("abort", onAbort, { once: true });
        listening.push([s, onAbort]);
      }
    }
    return [both.signal, () => listening.forEach(([s, onAbort]) => s.removeEventListener("abort", onAbort))];
  }

  // Errors of Node's fetch (undici) and of other runtimes whose request never reached
  // the server: connecting, resolving, TLS. Everything else after the send started may
  // have reached it (`reset`), or ran out of time (`timed_out`).
  const NOT_SENT_CODES = new Set([
    "ECONNREFUSED",
    "ENOTFOUND",
    "EAI_AGAIN",
    "EAI_FAIL",
    "ENETUNREACH",
    "EHOSTUNREACH",
    "EADDRNOTAVAIL",
    "ENETDOWN",
    "UND_ERR_CONNECT_TIMEOUT",
    "UND_ERR_INVALID_ARG",
    "ERR_INVALID_URL",
    "ERR_TLS_CERT_ALTNAME_INVALID",
    "CERT_HAS_EXPIRED",
    "DEPTH_ZERO_SELF_SIGNED_CERT",
    "SELF_SIGNED_CERT_IN_CHAIN",
    "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
    "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
  ]);

  /**
   * How a failed `fetch` (or a failed read of its body, `responded`) maps to the engine's
   * kinds. `not_sent` only for errors that name a connection never made: other runtimes
   * reject with a bare TypeError for any network error, sent or not, so anything unknown
   * is `reset` (it may have reached the server).
   */
  function transportKind(error, responded) {
    if (error && (error.name === "TimeoutError" || error.name === "AbortError")) return "timed_out";
    if (responded) return "reset";
    const cause = error && error.cause;
    const code = (cause && (cause.code || (cause.cause && cause.cause.code))) || (error && error.code);
    if (code && NOT_SENT_CODES.has(code)) return "not_sent";
    if (cause && cause.name === "ConnectTimeoutError") return "not_sent";
    return "reset";
  }

  // Only an Onboarding makes flows.
  const token = Symbol("jiko-onboarding flow");

  /**
   * One per partner: the configuration, the credentials and one shared login, used by
   * every flow it starts.
   */
  class Onboarding {
    #client;
    #auth;
    #fetch;
    #onEvent;
    #config;
    #clock;

    constructor(config, credentials) {
      const o = options(credentials, ONBOARDING_OPTIONS, "the second argument of new Onboarding");
      this.#client = new Client(config, o.signingSecret);
      this.#auth = new Authenticator(o.username, o.password);
      const fetchFn = o.fetch ?? globalThis.fetch;
      if (typeof fetchFn !== "function") {
        throw argumentError("fetch must be a fetch-compatible function (this runtime has no global fetch)");
      }
      if (o.onEvent !== undefined && typeof o.onEvent !== "function") throw argumentError("onEvent must be a function");
      const clock = o.clock ?? systemClock;
      if (typeof clock.now !== "function" || typeof clock.sleep !== "function") {
        throw argumentError("clock must have now() and sleep(ms, signal)");
      }
      this.#fetch = fetchFn;
      this.#onEvent = o.onEvent;
      this.#config = o.flowConfig;
      this.#clock = clock;
    }

    /** A flow for this application, validated at once; nothing is sent until `run`. */
    start(application, startOptions) {
      const o = options(startOptions, START_OPTIONS, "the options of start");
      const engine = OnboardingFlow.start(this.#client, application, {
        today: o.today,
        now: this.#clock.now(),
        config: this.#config,
      });
      return new Flow(token, this.#host(), engine);
    }

    /**
     * A flow continued from `flow.snapshot()`. The application is needed again only
     * while its Create has not been answered (`application_required` says so).
     */
    resume(snapshot, application) {
      const engine = OnboardingFlow.restore(this.#client, snapshot, {
        application: application ?? undefined,
        config: this.#config,
      });
      return new Flow(token, this.#host(), engine);
    }

    /** `Onboarding(<base URL>)`: never a credential. */
    toString() {
      return `Onboarding(${this.#client.baseUrl})`;
    }

    toJSON() {
      return this.toString();
    }

    #host() {
      return { auth: this.#auth, fetch: this.#fetch, onEvent: this.#onEvent, clock: this.#clock };
    }
  }

  /** One applicant's journey. Made by `onboarding.start` or `onboarding.resume`. */
  class Flow {
    #host;
    #engine;
    #running = false;
    #wake = null;

    constructor(key, host, engine) {
      if (key !== token) throw new TypeError("flows are made by onboarding.start() and onboarding.resume()");
      this.#host = host;
      this.#engine = engine;
    }

    /** The application's id, once created (`null` before). */
    get applicationId() {
      return this.#engine.applicationId ?? null;
    }

    /**
     * Sends, retries, polls and sleeps until the journey ends, documents are needed, or
     * the next step is more than `maxWait` seconds away (60 by default). `signal`
     * cancels: a request in flight is reported to the engine as `reset` first, so the
     * snapshot stays valid, then the promise rejects with the signal's reason.
     */
    async run(runOptions) {
      const o = options(runOptions, RUN_OPTIONS, "the options of run");
      const maxWait = o.maxWait ?? 60;
      if (typeof maxWait !== "number" || !(maxWait >= 0)) throw argumentError("maxWait must be a number of seconds, 0 or more");
      const signal = o.signal;
      if (signal !== undefined && !(signal instanceof AbortSignal)) throw argumentError("signal must be an AbortSignal");
      if (this.#running) throw new JikoError("this flow is already running: await its run() first", "run_in_progress");
      this.#running = true;
      try {
        const { clock, auth } = this.#host;
        // Whether this run has waited for anything (a request, a timer).
        let waited = false;
        for (;;) {
          if (signal) signal.throwIfAborted();
          const step = this.#engine.poll(clock.now(), auth);
          if (step.kind === "send") {
            await this.#send(step, signal);
            waited = true;
            continue;
          }
          if (step.kind === "wait") {
            const delay = Math.max(0, step.until_ms - clock.now());
            if (delay > maxWait * 1000) return await this.#finish(waited);
            this.#emit(
              step.reason === "retry"
                ? { type: "retry", reason: step.retry_reason, delay_ms: delay }
                : { type: "wait", reason: step.reason, delay_ms: delay },
            );
            await this.#sleep(delay, signal);
            waited = true;
            continue;
          }
          return await this.#finish(waited);
        }
      } finally {
        this.#running = false;
      }
    }

    /** Something happened (a webhook): the flow reads the application at once. */
    notify() {
      this.#engine.notify(this.#host.clock.now());
      if (this.#wake) this.#wake();
    }

    /**
     * A document for Jiko's request, checked now (`JikoDocumentError`), uploaded by
     * `run`. Held in memory only: after `resume`, provide it again.
     */
    provideDocument(documentType, contentType, data) {
      this.#engine.provideDocument(documentType, contentType, data);
    }

    /** Everything needed to continue (JSON text): no personal data, no secrets. */
    snapshot() {
      return this.#engine.snapshot();
    }

    /** `Flow(<phase>, <application id>)`: never personal data. */
    toString() {
      return `Flow(${this.#engine.toString()})`;
    }

    toJSON() {
      return this.toString();
    }

    async #send(step, signal) {
      const { clock, auth, fetch: fetchFn } = this.#host;
      const { attempt, operation, request } = step;
      const described = { operation, method: request.method, path: step.path_template, attempt };
      this.#emit({ type: "request", ...described });
      const started = clock.now();
      let answer;
      let responded = false;
      const [requestSignal, release] = eitherSignal(signal, AbortSignal.timeout(step.timeout_ms));
      try {
        const response = await fetchFn(request.url, {
          method: request.method,
          headers: request.headers,
          body: request.method === "GET" ? undefined : request.body,
          // A redirect changes the signed path: the engine treats 3xx as an error.
          redirect: "manual",
          signal: requestSignal,
        });
        responded = true;
        const body = await readBody(response);
        // A browser-like fetch hides a manual redirect behind status 0.
        const status = response.type === "opaqueredirect" ? 300 : response.status;
        const headers = [];
        response.headers.forEach((value, name) => headers.push([name, value]));
        answer = { status, headers, body };
      } catch (error) {
        const kind = signal && signal.aborted ? "reset" : transportKind(error, responded);
        this.#engine.handleTransportError(attempt, kind, clock.now(), auth);
        this.#emit({ type: "transport_error", ...described, kind, duration_ms: clock.now() - started });
        if (signal && signal.aborted) throw signal.reason;
        return;
      } finally {
        release();
      }
      this.#engine.handleResponse(attempt, answer.status, answer.headers, answer.body, clock.now(), auth);
      this.#emit({ type: "response", ...described, status: answer.status, duration_ms: clock.now() - started });
    }

    /** Sleeps `ms`, or until `notify()`; rejects when `signal` aborts. */
    async #sleep(ms, signal) {
      const { clock } = this.#host;
      let left = ms;
      do {
        const piece = Math.min(left, MAX_TIMER_MS);
        const woken = await new Promise((resolve, reject) => {
          const stop = new AbortController();
          const finish = (settle) => {
            stop.abort();
            this.#wake = null;
            if (signal) signal.removeEventListener("abort", onAbort);
            settle();
          };
          const onAbort = () => finish(() => reject(signal.reason));
          if (signal && signal.aborted) return onAbort();
          if (signal) signal.addEventListener("abort", onAbort, { once: true });
          this.#wake = () => finish(() => resolve(true));
          Promise.resolve(clock.sleep(piece, stop.signal)).then(
            () => finish(() => resolve(false)),
            (error) => finish(() => reject(error)),
          );
        });
        if (woken) return;
        left -= piece;
      } while (left > 0);
    }

    /**
     * The result of the last step. A run that returns without having waited for anything
     * still yields to the event loop once, so that a loop of runs never starves it.
     */
    async #finish(waited) {
      if (!waited) await new Promise((resolve) => setTimeout(resolve, 0));
      const result = this.#engine.result();
      const event = { type: "returned", state: result.state };
      if (result.state === "documents_needed") event.requirements = result.requirements;
      if (result.state === "waiting") event.next_check_at = result.next_check_at;
      if (result.error) event.error_code = result.error.code;
      this.#emit(event);
      return result;
    }

    #emit(event) {
      const { onEvent } = this.#host;
      if (!onEvent) return;
      event.application_id = this.applicationId;
      try {
        onEvent(event);
      } catch {
        // An observer's failure must not break an onboarding.
      }
    }
  }

  return { Onboarding, Flow };
}
