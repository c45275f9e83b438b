// How the driver sends: the Transport interface, its answer, and the JVM default
// (java.net.http). OkHttpTransport (Android) is in OkHttpTransport.kt.
package jiko.onboarding

import jiko.onboarding.core.TransportErrorKind
import kotlinx.coroutines.future.await
import java.io.IOException
import java.net.ConnectException
import java.net.NoRouteToHostException
import java.net.URI
import java.net.UnknownHostException
import java.net.http.HttpClient
import java.net.http.HttpConnectTimeoutException
import java.net.http.HttpRequest
import java.net.http.HttpTimeoutException
import java.nio.ByteBuffer
import java.nio.channels.UnresolvedAddressException
import java.time.Duration
import java.util.concurrent.CompletableFuture
import java.util.concurrent.CompletionException
import java.util.concurrent.CompletionStage
import java.util.concurrent.ExecutionException
import javax.net.ssl.SSLHandshakeException
import javax.net.ssl.SSLPeerUnverifiedException

/** An HTTP answer: the status, the headers in order, and the body bytes as received. */
class HttpResponse(val status: Int, val headers: List<HttpHeader>, val body: ByteArray) {
    /** Status and size only: headers and bodies may carry tokens or personal data. */
    override fun toString(): String = "HttpResponse(status=$status, ${body.size} bytes)"
}

/**
 * A request that got no answer. [kind] tells the flow whether the server may have acted:
 * [TransportErrorKind.NOT_SENT] when it certainly did not (DNS, connection refused, TLS
 * handshake), [TransportErrorKind.TIMED_OUT] or [TransportErrorKind.RESET] when it may.
 */
class TransportFailure(val kind: TransportErrorKind, message: String, cause: Throwable? = null) :
    IOException(message, cause)

/**
 * The largest answer body a transport reads: 16 MiB. Onboarding answers are a few
 * kilobytes; a larger one (a proxy or captive portal streaming without end) is refused as a
 * [TransportErrorKind.RESET] [TransportFailure] instead of filling the memory.
 */
const val MAX_ANSWER_BYTES: Int = 16 * 1024 * 1024

/** The failure of an answer over [MAX_ANSWER_BYTES]: the server may have acted, so `reset`. */
internal fun answerTooLarge(): TransportFailure =
    TransportFailure(TransportErrorKind.RESET, "the answer is larger than $MAX_ANSWER_BYTES bytes")

/**
 * Sends one prepared request exactly as it is: its method, URL, headers in order and body
 * bytes (they are signed), never following a redirect (it would change the signed path),
 * giving up after [send]'s `timeoutMillis`. Throws [TransportFailure] when there is no
 * answer; any HTTP status, 3xx included, is an answer.
 */
interface Transport {
    suspend fun send(request: PreparedRequest, timeoutMillis: Long): HttpResponse
}

/**
 * The JVM default: `java.net.http.HttpClient`, HTTP/1.1, redirects never followed, a
 * timeout per request. A client given here should be built the same way
 * ([JavaHttpTransport.defaultClient] shows how).
 */
class JavaHttpTransport(private val client: HttpClient = defaultClient()) : Transport {
    override suspend fun send(request: PreparedRequest, timeoutMillis: Long): HttpResponse {
        val answer = try {
            val body = request.body()
            val builder = HttpRequest.newBuilder(URI.create(request.url()))
                .timeout(Duration.ofMillis(timeoutMillis))
                .method(request.method(), if (body.isEmpty()) HttpRequest.BodyPublishers.noBody() else HttpRequest.BodyPublishers.ofByteArray(body))
            for (header in request.headers()) {
                // HttpClient writes these itself (Content-Length from the same body).
                if (header.name.lowercase() !in RESTRICTED) builder.header(header.name, header.value)
            }
            client.sendAsync(builder.build(), CAPPED_BODY).await()
        } catch (e: Exception) {
            throw failure(unwrap(e))
        }
        val headers = answer.headers().map().flatMap { (name, values) -> values.map { HttpHeader(name, it) } }
        return HttpResponse(answer.statusCode(), headers, answer.body())
    }

    companion object {
        private val RESTRICTED = setOf("content-length", "host", "connection", "expect", "upgrade")

        /** The body as bytes, at most [MAX_ANSWER_BYTES] (a declared larger length is refused before reading). */
        private val CAPPED_BODY = java.net.http.HttpResponse.BodyHandler { info ->
            CappedBody(info.headers().firstValueAsLong("content-length").orElse(-1L))
        }

        /** HTTP/1.1 (no h2c upgrade attempt), no redirects, 10 s to connect. */
        fun defaultClient(): HttpClient = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(10))
            .build()

        private fun unwrap(e: Throwable): Throwable =
            if ((e is CompletionException || e is ExecutionException) && e.cause != null) unwrap(e.cause!!) else e

        /**
         * Connecting failures are `not_sent`: nothing reached the server (the request is
         * written only after the TLS handshake and the certificate checks succeed).
         */
        internal fun failure(e: Throwable): Throwable = when (e) {
            is kotlinx.coroutines.CancellationException -> e
            is TransportFailure -> e
            is HttpConnectTimeoutException -> TransportFailure(TransportErrorKind.NOT_SENT, "could not connect in time", e)
            is HttpTimeoutException -> TransportFailure(TransportErrorKind.TIMED_OUT, "no answer within the timeout", e)
            is ConnectException, is UnknownHostException, is NoRouteToHostException, is UnresolvedAddressException ->
                TransportFailure(TransportErrorKind.NOT_SENT, "could not connect", e)
            is SSLHandshakeException, is SSLPeerUnverifiedException ->
                TransportFailure(TransportErrorKind.NOT_SENT, "the TLS handshake failed", e)
            is IllegalArgumentException -> TransportFailure(TransportErrorKind.NOT_SENT, "the request could not be built", e)
            is IOException -> TransportFailure(TransportErrorKind.RESET, "the connection broke before the answer", e)
            else -> e
        }
    }
}

/**
 * Collects an answer body up to [MAX_ANSWER_BYTES] without blocking (so the request's
 * timeout and the coroutine's cancellation still apply while it is read), cancelling the
 * subscription, which closes the connection, as soon as the body is known to be larger.
 */
private class CappedBody(private val declaredLength: Long) : java.net.http.HttpResponse.BodySubscriber<ByteArray> {
    private val result = CompletableFuture<ByteArray>()
    private val received = java.io.ByteArrayOutputStream()
    private var subscription: java.util.concurrent.Flow.Subscription? = null

    override fun getBody(): CompletionStage<ByteArray> = result

    override fun onSubscribe(subscription: java.util.concurrent.Flow.Subscription) {
        this.subscription = subscription
        if (declaredLength > MAX_ANSWER_BYTES) {
            subscription.cancel()
            result.completeExceptionally(answerTooLarge())
        } else {
            subscription.request(Long.MAX_VALUE)
        }
    }

    override fun onNext(item: List<ByteBuffer>) {
        if (result.isDone) return
        for (buffer in item) {
            if (received.size().toLong() + buffer.remaining() > MAX_ANSWER_BYTES) {
                subscription?.cancel()
                result.completeExceptionally(answerTooLarge())
                return
            }
            val bytes = ByteArray(buffer.remaining())
            buffer.get(bytes)
            received.write(bytes)
        }
    }

    override fun onError(throwable: Throwable) {
        result.completeExceptionally(throwable)
    }

    override fun onComplete() {
        result.complete(received.toByteArray())
    }
}
