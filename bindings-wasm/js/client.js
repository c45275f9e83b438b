// The JavaScript half of `Client.prototype.createApplication`, the SDK's hot path. The
// package's entry module installs it once, at load time, in front of the module's own
// method. It reads the arguments in their usual shapes on this side of the boundary
// (an options object of strings, an application object that `JSON.stringify` writes)
// and hands the module plain strings, which saves the crossings that reading them from
// WebAssembly costs. It decides nothing: any other shape goes to the module's method,
// which checks every argument and throws the error; the module validates, writes and
// signs in both cases.

/**
 * @param {Function} Client the module's class, whose prototype has `createApplication`
 *   (reads and checks every argument) and `__createApplicationFast(token, text,
 *   idempotencyKey, today)` (the same from there on; every argument a string or, for the
 *   last two, undefined).
 */
export function installClient(Client) {
  const proto = Client.prototype;
  const checked = proto.createApplication;
  const fast = proto.__createApplicationFast;
  if (typeof checked !== "function" || typeof fast !== "function") return;
  Object.defineProperty(proto, "createApplication", {
    configurable: true,
    writable: true,
    enumerable: false,
    value: function createApplication(token, application, options) {
      if (typeof token !== "string") return checked.call(this, token, application, options);
      let key;
      let today;
      if (options !== undefined && options !== null) {
        // The shapes the module accepts as they are: a plain object whose own keys are
        // among these two, each a string or absent.
        if (typeof options !== "object" || !(options instanceof Object) || Array.isArray(options)) {
          return checked.call(this, token, application, options);
        }
        for (const name of Object.keys(options)) {
          if (name !== "idempotencyKey" && name !== "today") return checked.call(this, token, application, options);
        }
        key = options.idempotencyKey;
        today = options.today;
        if ((key != null && typeof key !== "string") || (today != null && typeof today !== "string")) {
          return checked.call(this, token, application, options);
        }
      }
      let text = application;
      if (typeof application !== "string" && !(application instanceof Uint8Array) && !(application instanceof ArrayBuffer)) {
        try {
          text = JSON.stringify(application);
        } catch {
          text = undefined;
        }
        if (typeof text !== "string") return checked.call(this, token, application, options);
      }
      return fast.call(this, token, text, key ?? undefined, today ?? undefined);
    },
  });
}
