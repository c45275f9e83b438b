package jiko.onboarding

import com.sun.net.httpserver.HttpServer
import jiko.onboarding.core.*
import jiko.onboarding.examples.main as quickstart
import kotlinx.coroutines.runBlocking
import org.junit.jupiter.api.Assertions.assertArrayEquals
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows
import org.junit.jupiter.params.ParameterizedTest
import org.junit.jupiter.params.provider.ValueSource
import java.io.ByteArrayOutputStream
import java.io.File
import java.io.PrintStream
import java.net.InetSocketAddress
import java.net.ServerSocket
import javax.net.ssl.SSLException
import javax.net.ssl.SSLHandshakeException
import javax.net.ssl.SSLPeerUnverifiedException

/**
 * Each transport against a local server: the request goes out exactly as prepared, a
 * redirect is answered (never followed), and failures map to the engine's kinds:
 * connection refused is `not_sent`, no answer in time is `timed_out`, a connection
 * closed without an answer is `reset`, and so is an answer over 16 MiB.
 */
class TransportTest {
    private fun transport(name: String): Transport = if (name == "okhttp") OkHttpTransport() else JavaHttpTransport()

    private fun server(handler: (com.sun.net.httpserver.HttpExchange) -> Unit): HttpServer =
        HttpServer.create(InetSocketAddress("127.0.0.1", 0), 0).apply {
            createContext("/") { exchange -> exchange.use(handler) }
            start()
        }

    private fun client(server: HttpServer) = Client(ClientConfig.BaseUrl("http://127.0.0.1:${server.address.port}"), "sandbox-signing-secret")

    @ParameterizedTest
    @ValueSource(strings = ["java", "okhttp"])
    fun sendsTheRequestAsPreparedAndNeverFollowsARedirect(name: String) = runBlocking {
        var seen: Triple<String, Map<String, String>, ByteArray>? = null
        val server = server { exchange ->
            seen = Triple(
                exchange.requestMethod + " " + exchange.requestURI.path,
                exchange.requestHeaders.mapKeys { it.key.lowercase() }.mapValues { it.value.first() },
                exchange.requestBody.readBytes(),
            )
            exchange.responseHeaders.add("Location", "/elsewhere/")
            exchange.sendResponseHeaders(302, -1)
        }
        try {
            val request = client(server).createApplication("token", DriverTest().applicant(), "2026-12-01", VectorTest.IDEMPOTENCY_KEY)
            val answer = transport(name).send(request, 5_000)
            assertEquals(302, answer.status, "a redirect is an answer, not followed")
            val (line, headers, body) = seen!!
            assertEquals("POST /api/v1/applications/", line)
            assertArrayEquals(request.body(), body)
            assertEquals(request.header("x-jiko-signature"), headers["x-jiko-signature"])
            assertEquals(VectorTest.IDEMPOTENCY_KEY, headers["x-jiko-idempotency"])
            assertEquals("Bearer token", headers["authorization"])
            assertEquals("application/json", headers["content-type"])
            assertEquals(body.size.toString(), headers["content-length"])
            assertTrue(answer.headers.any { it.name.equals("location", ignoreCase = true) })
        } finally {
            server.stop(0)
        }
    }

    @ParameterizedTest
    @ValueSource(strings = ["java", "okhttp"])
    fun aRefusedConnectionIsNotSent(name: String) = runBlocking {
        val port = ServerSocket(0).use { it.localPort }
        val request = Client(ClientConfig.BaseUrl("http://127.0.0.1:$port"), "secret").listAgreements("token")
        val failure = assertThrows<TransportFailure> { runBlocking { transport(name).send(request, 5_000) } }
        assertEquals(TransportErrorKind.NOT_SENT, failure.kind)
    }

    @ParameterizedTest
    @ValueSource(strings = ["java", "okhttp"])
    fun noAnswerInTimeIsTimedOut(name: String) = runBlocking {
        val server = server { Thread.sleep(2_000) }
        try {
            val request = client(server).listAgreements("token")
            val failure = assertThrows<TransportFailure> { runBlocking { transport(name).send(request, 300) } }
            assertEquals(TransportErrorKind.TIMED_OUT, failure.kind)
        } finally {
            server.stop(0)
        }
    }

    @ParameterizedTest
    @ValueSource(strings = ["java", "okhttp"])
    fun aConnectionClosedWithoutAnAnswerIsReset(name: String) = runBlocking {
        val socket = ServerSocket(0)
        val acceptor = Thread {
            runCatching { socket.accept().use { it.getInputStream().read(ByteArray(1024)) } }
        }.apply { start() }
        try {
            // A POST: java.net.http resends a GET once by itself on a closed connection
            // (harmless for a read), never a POST.
            val request = Client(ClientConfig.BaseUrl("http://127.0.0.1:${socket.localPort}"), "secret")
                .apply("token", VectorTest.APPLICATION_ID)
            val failure = assertThrows<TransportFailure> { runBlocking { transport(name).send(request, 5_000) } }
            assertEquals(TransportErrorKind.RESET, failure.kind)
        } finally {
            socket.close()
            acceptor.join(5_000)
        }
    }

    /** A server answering [size] bytes, with a Content-Length ("declared") or chunked. */
    private fun largeAnswer(size: Int, framing: String): HttpServer = server { exchange ->
        runCatching {
            exchange.sendResponseHeaders(200, if (framing == "declared") size.toLong() else 0L)
            val chunk = ByteArray(64 * 1024) { 'x'.code.toByte() }
            exchange.responseBody.use { out ->
                var left = size
                while (left > 0) {
                    val n = minOf(left, chunk.size)
                    out.write(chunk, 0, n)
                    left -= n
                }
            }
        } // The client closes the connection mid-body: the write fails, as expected.
    }

    @ParameterizedTest
    @ValueSource(strings = ["java declared", "java chunked", "okhttp declared", "okhttp chunked"])
    fun anAnswerOverSixteenMebibytesIsReset(case: String) = runBlocking {
        val (name, framing) = case.split(" ")
        val server = largeAnswer(17 * 1024 * 1024, framing)
        try {
            val request = client(server).listAgreements("token")
            val failure = assertThrows<TransportFailure> { runBlocking { transport(name).send(request, 10_000) } }
            assertEquals(TransportErrorKind.RESET, failure.kind, "$failure")
            assertTrue(failure.message!!.contains("larger than $MAX_ANSWER_BYTES bytes"), "${failure.message}")
        } finally {
            server.stop(0)
        }
    }

    @ParameterizedTest
    @ValueSource(strings = ["java", "okhttp"])
    fun anAnswerOfExactlySixteenMebibytesIsRead(name: String) = runBlocking {
        val server = largeAnswer(MAX_ANSWER_BYTES, "chunked")
        try {
            val answer = transport(name).send(client(server).listAgreements("token"), 10_000)
            assertEquals(200, answer.status)
            assertEquals(MAX_ANSWER_BYTES, answer.body.size)
        } finally {
            server.stop(0)
        }
    }

    @Test
    fun aFailedTlsHandshakeIsNotSent() {
        // Nothing is written before the handshake and the certificate checks succeed.
        for (e in listOf(SSLHandshakeException("no cipher suites in common"), SSLPeerUnverifiedException("hostname mismatch"))) {
            assertEquals(TransportErrorKind.NOT_SENT, (JavaHttpTransport.failure(e) as TransportFailure).kind, "java: $e")
            assertEquals(TransportErrorKind.NOT_SENT, OkHttpTransport.failure(e).kind, "okhttp: $e")
        }
        // Another TLS failure (a record broken mid-exchange) may follow the request: reset.
        val broken = SSLException("connection closed mid-record")
        assertEquals(TransportErrorKind.RESET, (JavaHttpTransport.failure(broken) as TransportFailure).kind)
        assertEquals(TransportErrorKind.RESET, OkHttpTransport.failure(broken).kind)
    }
}

/** The quickstart of docs/kotlin.md, run as a user runs it, against the simulator. */
class QuickstartTest {
    @Test
    fun theQuickstartOnboardsOneApplicantEndToEnd() {
        val png = File.createTempFile("jiko-id", ".png").apply { writeBytes(DriverTest().png); deleteOnExit() }
        val out = ByteArrayOutputStream()
        val original = System.out
        SandboxProcess().use { sim ->
            System.setOut(PrintStream(out, true))
            try {
                quickstart(arrayOf(sim.baseUrl, png.path))
            } finally {
                System.setOut(original)
            }
        }
        val printed = out.toString().trim()
        println("quickstart printed: $printed")
        assertTrue(printed.matches(Regex("APPROVED: routing \\*{5}\\d{4}, account \\*{6,8}\\d{4}")), printed)
        val source = File("src/examples/kotlin/jiko/onboarding/examples/Quickstart.kt").readLines()
        val body = source.dropWhile { !it.startsWith("fun main") }
        assertTrue(body.size <= 15, "the quickstart's main is ${body.size} lines")
    }

    @Test
    fun theKotlinGuideShowsTheCodeTheTestsRun() {
        val guide = File("../../docs/kotlin.md").readText()
        val quickstart = File("src/examples/kotlin/jiko/onboarding/examples/Quickstart.kt").readText()
        assertTrue(guide.contains(quickstart.substring(quickstart.indexOf("import jiko.onboarding.*")).trim()), "docs/kotlin.md quickstart")
        val examples = File("src/test/kotlin/jiko/onboarding/ReadmeExamplesTest.kt").readText()
        val first = examples.substring(examples.indexOf("fun formErrors"), examples.indexOf("// --- README example 2")).trim()
        assertTrue(guide.contains(first), "docs/kotlin.md low-level example")
    }
}
