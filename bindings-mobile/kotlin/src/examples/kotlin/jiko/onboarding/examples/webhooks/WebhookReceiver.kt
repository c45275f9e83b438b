// A webhook receiver on the JVM's own HTTP server (com.sun.net.httpserver): it verifies
// each delivery over the raw body with verifyWebhook, finds the waiting flow by the
// event's application id, calls notify() and runs the flow. Run by FlowE2eTest against
// the simulator's deliveries; `main` runs it on its own.
// Usage: WebhookReceiver <port> <subscription shared secret>
package jiko.onboarding.examples.webhooks

import com.sun.net.httpserver.HttpExchange
import com.sun.net.httpserver.HttpServer
import jiko.onboarding.Flow
import jiko.onboarding.FlowResult
import jiko.onboarding.HttpHeader
import jiko.onboarding.JikoException
import jiko.onboarding.applicationId
import jiko.onboarding.code
import jiko.onboarding.verifyWebhook
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.SupervisorJob
import kotlinx.coroutines.cancel
import kotlinx.coroutines.launch
import java.net.InetSocketAddress
import java.util.Collections
import java.util.concurrent.ConcurrentHashMap

/**
 * Receives Jiko's deliveries at `POST /hooks/jiko`. [secrets] are the subscription's
 * shared secrets (several during a rotation; not the API signing secret). [flows] finds
 * the flow of an application id (here an in-memory map; a real backend resumes it from
 * the snapshot it stored next to its user). [onResult] gets what each run returned.
 */
class WebhookReceiver(
    port: Int,
    private val secrets: List<String>,
    private val flows: (applicationId: String) -> Flow?,
    private val onResult: (Flow, FlowResult) -> Unit = { _, _ -> },
) : AutoCloseable {
    private val scope = CoroutineScope(SupervisorJob() + Dispatchers.IO)
    private val seen: MutableSet<String> = Collections.newSetFromMap(ConcurrentHashMap())
    private val server: HttpServer = HttpServer.create(InetSocketAddress("127.0.0.1", port), 0).apply {
        createContext("/hooks/jiko") { exchange -> exchange.use { handle(it) } }
        start()
    }

    /** Where to subscribe: `http://127.0.0.1:<port>/hooks/jiko`. */
    val url: String get() = "http://127.0.0.1:${server.address.port}/hooks/jiko"

    private fun handle(exchange: HttpExchange) {
        if (exchange.requestMethod != "POST") return reply(exchange, 405)
        // The raw bytes, as received: a parsed and re-serialized body would not verify.
        val body = exchange.requestBody.readBytes()
        val headers = exchange.requestHeaders.flatMap { (name, values) -> values.map { HttpHeader(name, it) } }
        val event = try {
            verifyWebhook(headers, body, secrets)
        } catch (e: JikoException) {
            // missing_signature or bad_signature: not from Jiko; malformed: not an event.
            return reply(exchange, if (e.code == "malformed") 400 else 401)
        }
        reply(exchange, 204)
        // Deliveries are at least once: the first of each event_id is enough. The event is
        // only a hint: the flow reads the application itself, signed.
        if (!seen.add(event.eventId)) return
        val flow = event.applicationId?.let(flows) ?: return
        flow.notify()
        scope.launch { onResult(flow, flow.run()) }
    }

    private fun reply(exchange: HttpExchange, status: Int) {
        exchange.sendResponseHeaders(status, -1)
    }

    override fun close() {
        server.stop(0)
        scope.cancel()
    }
}

fun main(args: Array<String>) {
    val receiver = WebhookReceiver(args[0].toInt(), listOf(args[1]), flows = { null })
    println("listening on ${receiver.url} (verifying deliveries; no flows registered)")
    Thread.currentThread().join()
}
