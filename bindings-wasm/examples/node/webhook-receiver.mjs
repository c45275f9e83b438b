// A webhook endpoint for Jiko's deliveries, with Node's http.createServer: each delivery
// is verified over its raw body (verifyWebhook), then the event leads to the flow of its
// application, which is notified and run. The event is only a hint: the flow reads the
// application itself, so a forged or replayed delivery costs at most one extra read.
//
//   JIKO_BASE_URL=http://127.0.0.1:8080 JIKO_WEBHOOK_SECRET=... node webhook-receiver.mjs
//
// As a module, `webhookReceiver({ secrets, flows })` returns the server (the tests use it).
import { createServer } from "node:http";
import { verifyWebhook, JikoWebhookError } from "jiko-onboarding";

// Deliveries are a few hundred bytes; anything much larger is refused unread.
const MAX_BODY = 64 * 1024;

/**
 * An http.Server that verifies deliveries with `secrets` (the subscription's
 * shared_secret, or several during a rotation) and wakes the flows of `flows`, a Map
 * from application id to Flow. `onResult(flow, result)` sees what each run returned.
 */
export function webhookReceiver({ secrets, flows, onResult = () => {}, onError = () => {} }) {
  const seen = new Set();
  return createServer((request, response) => {
    const chunks = [];
    let size = 0;
    request.on("data", (chunk) => {
      size += chunk.length;
      if (size > MAX_BODY) {
        response.writeHead(413).end();
        request.destroy();
      } else {
        chunks.push(chunk);
      }
    });
    request.on("end", () => {
      let event;
      try {
        // The raw bytes, as received: a parsed and re-serialized body would not verify.
        event = verifyWebhook(request.headers, Buffer.concat(chunks), secrets);
      } catch (error) {
        response.writeHead(error instanceof JikoWebhookError && error.code === "malformed" ? 400 : 401).end();
        return;
      }
      // Answer at once: Jiko retries a delivery that is not answered within seconds.
      response.writeHead(204).end();
      // Deliveries may come twice: one wake-up per event is enough.
      if (seen.has(event.event_id)) return;
      seen.add(event.event_id);
      const flow = event.application_id ? flows.get(event.application_id) : undefined;
      if (!flow) return;
      flow.notify();
      flow.run().then(
        (result) => onResult(flow, result),
        // notify() already woke a run in progress: nothing more to do for it.
        (error) => error.code !== "run_in_progress" && onError(flow, error),
      );
    });
  });
}

// Run as a program: a receiver on port 8787 (or JIKO_WEBHOOK_PORT) for flows started elsewhere.
if (import.meta.url === `file://${process.argv[1]}`) {
  const secret = process.env.JIKO_WEBHOOK_SECRET;
  if (!secret) throw new Error("set JIKO_WEBHOOK_SECRET to the subscription's shared_secret");
  const flows = new Map();
  const server = webhookReceiver({
    secrets: [secret],
    flows,
    onResult: (flow, result) => console.log(flow.applicationId, result.state),
    onError: (flow, error) => console.error(flow.applicationId, error.code),
  });
  server.listen(Number(process.env.JIKO_WEBHOOK_PORT ?? 8787), "127.0.0.1", () => {
    console.log(`listening on http://127.0.0.1:${server.address().port}`);
  });
}
