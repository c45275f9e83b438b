// OkHttp, Android's usual HTTP client, behind the same Transport interface.
package jiko.onboarding

import jiko.onboarding.core.TransportErrorKind
import kotlinx.coroutines.suspendCancellableCoroutine
import okhttp3.Call
import okhttp3.Callback
import okhttp3.MediaType.Companion.toMediaTypeOrNull
import okhttp3.OkHttpClient
import okhttp3.Request
import okhttp3.RequestBody.Companion.toRequestBody
import okhttp3.Response
import okhttp3.ResponseBody
import java.io.IOException
import java.io.InterruptedIOException
import java.net.ConnectException
import java.net.NoRouteToHostException
import java.net.SocketTimeoutException
import java.net.UnknownHostException
import java.util.concurrent.TimeUnit
import javax.net.ssl.SSLHandshakeException
import javax.net.ssl.SSLPeerUnverifiedException
import kotlin.coroutines.resume
import kotlin.coroutines.resumeWithException

/**
 * A [Transport] over OkHttp (Android, or a JVM that already uses it). The client given
 * (its pool, TLS, interceptors) is kept, with redirects off and OkHttp's own silent
 * resend off: the flow engine decides every retry, and a resend the engine never saw
 * could hide an ambiguous outcome. Each call gets the request's timeout as its call
 * timeout.
 */
class OkHttpTransport(client: OkHttpClient = OkHttpClient()) : Transport {
    private val client: OkHttpClient = client.newBuilder()
        .followRedirects(false)
        .followSslRedirects(false)
        .retryOnConnectionFailure(false)
        .build()

    override suspend fun send(request: PreparedRequest, timeoutMillis: Long): HttpResponse {
        val call = try {
            val contentType = request.header("content-type")
            val body = request.body()
            val builder = Request.Builder().url(request.url())
            for (header in request.headers()) {
                // OkHttp writes Content-Length itself, from the same body.
                if (!header.name.equals("content-length", ignoreCase = true)) builder.header(header.name, header.value)
            }
            val requestBody = if (request.method() == "GET") null else body.toRequestBody(contentType?.toMediaTypeOrNull())
            client.newCall(builder.method(request.method(), requestBody).build())
        } catch (e: IllegalArgumentException) {
            throw TransportFailure(TransportErrorKind.NOT_SENT, "the request could not be built", e)
        }
        call.timeout().timeout(timeoutMillis, TimeUnit.MILLISECONDS)
        return suspendCancellableCoroutine { continuation ->
            continuation.invokeOnCancellation { call.cancel() }
            call.enqueue(object : Callback {
                override fun onFailure(call: Call, e: IOException) {
                    continuation.resumeWithException(failure(e))
                }

                override fun onResponse(call: Call, response: Response) {
                    val answer = try {
                        response.use {
                            val headers = it.headers.map { (name, value) -> HttpHeader(name, value) }
                            HttpResponse(it.code, headers, cappedBytes(it.body))
                        }
                    } catch (e: IOException) {
                        continuation.resumeWithException(if (e is TransportFailure) e else failure(e))
                        return
                    }
                    continuation.resume(answer)
                }
            })
        }
    }

    internal companion object {
        /**
         * The body, at most [MAX_ANSWER_BYTES]: a larger declared length is refused before
         * reading, an undeclared one after MAX + 1 bytes (closing the response then closes
         * the connection rather than reading on).
         */
        fun cappedBytes(body: ResponseBody): ByteArray {
            if (body.contentLength() > MAX_ANSWER_BYTES) throw answerTooLarge()
            val source = body.source()
            if (source.request(MAX_ANSWER_BYTES + 1L)) throw answerTooLarge()
            return source.buffer.readByteArray()
        }

        /**
         * Connecting failures are `not_sent`: nothing reached the server (the request is
         * written only after the TLS handshake and the certificate checks succeed).
         */
        fun failure(e: IOException): TransportFailure = when {
            e is ConnectException || e is UnknownHostException || e is NoRouteToHostException ->
                TransportFailure(TransportErrorKind.NOT_SENT, "could not connect", e)
            e is SSLHandshakeException || e is SSLPeerUnverifiedException ->
                TransportFailure(TransportErrorKind.NOT_SENT, "the TLS handshake failed", e)
            e is SocketTimeoutException && e.message.orEmpty().contains("connect", ignoreCase = true) ->
                TransportFailure(TransportErrorKind.NOT_SENT, "could not connect in time", e)
            e is InterruptedIOException ->
                TransportFailure(TransportErrorKind.TIMED_OUT, "no answer within the timeout", e)
            else -> TransportFailure(TransportErrorKind.RESET, "the connection broke before the answer", e)
        }
    }
}
