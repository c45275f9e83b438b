package jiko.onboarding

import jiko.onboarding.core.*

import com.sun.net.httpserver.HttpServer
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import java.net.InetSocketAddress
import java.net.URI
import java.net.http.HttpClient
import java.net.http.HttpRequest
import java.net.http.HttpResponse
import java.time.LocalDate

// Kotlin examples of the low-level API, compiled and run here. The first is copied into
// docs/kotlin.md verbatim (QuickstartTest checks it); the second sends prepared requests
// by hand, what the driver's transports do.

// --- README example 1: validate a form, then read the next action (no coroutines) ---
fun formErrors(form: CreateApplicationRequest): Map<String, String> =
    validateApplication(form, LocalDate.now())   // every problem at once, for the screen
        .associate { it.path to it.message }       // "address.postal_code" -> what the rule is

fun describeNextStep(status: Int, body: ByteArray, retryAfter: String? = null): String =
    when (val action = nextAction(parseApplication(status, body, retryAfter))) {
        NextAction.Apply -> "call apply"
        is NextAction.UploadDocuments -> "upload one of each: " +
            action.requirements.joinToString("; ") { r -> r.oneOf.joinToString(" or ") { it.wireValue() } }
        is NextAction.Wait -> "wait (${action.reason}): poll getApplication or wait for the webhook"
        is NextAction.Approved -> "approved, customer ${action.customerId}"
        NextAction.Rejected -> "rejected (final)"
        is NextAction.Unknown -> "unknown status ${action.status}"
    }

// --- README example 2: prepare a request, send it with java.net.http.HttpClient ---
val http: HttpClient = HttpClient.newHttpClient()

fun send(prepared: PreparedRequest): HttpResponse<ByteArray> {
    val body = prepared.body()
    val builder = HttpRequest.newBuilder(URI.create(prepared.url())).method(
        prepared.method(),
        if (body.isEmpty()) HttpRequest.BodyPublishers.noBody() else HttpRequest.BodyPublishers.ofByteArray(body),
    )
    for (header in prepared.headers()) {
        // HttpClient computes Content-Length from the body and refuses to have it set.
        if (!header.name.equals("Content-Length", ignoreCase = true)) builder.header(header.name, header.value)
    }
    return http.send(builder.build(), HttpResponse.BodyHandlers.ofByteArray())
}

fun onboard(client: Client, username: String, password: String, form: CreateApplicationRequest): Application {
    val session = client.login(username, password).use { request ->
        val response = send(request)
        parseLogin(response.statusCode(), response.body())
    }
    session.use {
        // Keep the prepared request to retry it unchanged (same idempotency key) on a 5xx or 429.
        val created = client.createApplication(it.token(), form, LocalDate.now()).use { request ->
            val response = send(request)
            parseApplication(response.statusCode(), response.body(), response.headers().firstValue("Retry-After").orElse(null))
        }
        return client.apply(it.token(), created.id).use { request ->
            val response = send(request)
            parseApplication(response.statusCode(), response.body())
        }
    }
}

class ReadmeExamplesTest {
    private val form = CreateApplicationRequest(
        identificationNumber = "411111111",
        name = Name(firstName = "Jiko", lastName = "Customer"),
        email = "jiko@example.com",
        phoneNumber = "15551234567",
        dateOfBirth = "1970-01-01",
        investmentProfile = InvestmentProfile(EmploymentStatus.Retired, AnnualIncome.Below50k, NetWorth.Below50k),
        agreementConsent = AgreementConsent("1", "2023-01-01T12:00:00+00:00"),
        address = Address(streetAddress = "2000 Allston Way", city = "Berkeley", postalCode = "94701", state = "CA", country = "US"),
    )

    @Test
    fun exampleOneValidatesAndReadsTheNextAction() {
        assertEquals(emptyMap<String, String>(), formErrors(form))
        val errors = formErrors(form.copy(address = form.address.copy(postalCode = "9470")))
        assertEquals(setOf("address.postal_code"), errors.keys)
        val body = """{"id": "0b7b1c9e-3c1a-4f0e-9a57-2f4f1d6d2a10", "status": "DOCUMENTS_NEEDED",
            "id_verification_documents_needed": true}""".toByteArray()
        assertEquals("upload one of each: ID_FRONT; ID_BACK; SELFIE or PASSPORT", describeNextStep(200, body))
        assertEquals(
            "wait (KYC_IN_PROGRESS): poll getApplication or wait for the webhook",
            describeNextStep(200, """{"id": "x", "status": "SUBMITTED"}""".toByteArray()),
        )
    }

    /** Example 2 against a local stand-in for the API that checks what arrives. */
    @Test
    fun exampleTwoSendsSignedRequestsWithHttpClient() {
        val secret = "local-test-secret"
        val id = "0b7b1c9e-3c1a-4f0e-9a57-2f4f1d6d2a10"
        val seen = mutableListOf<String>()
        val server = HttpServer.create(InetSocketAddress("127.0.0.1", 0), 0)
        server.createContext("/") { exchange ->
            val path = exchange.requestURI.path
            val body = exchange.requestBody.readAllBytes()
            val h = exchange.requestHeaders
            seen += "${exchange.requestMethod} $path"
            val ok = if (path == "/api/v1/login/") {
                String(body) == """{"username":"partner-user","password":"pw"}"""
            } else {
                val key = h.getFirst("x-jiko-idempotency")
                h.getFirst("Authorization") == "Bearer tok-1" &&
                    Signer(secret).use { it.verify(key, path, body, h.getFirst("x-jiko-signature")) } &&
                    (body.isEmpty() || h.getFirst("Content-Length") == body.size.toString())
            }
            val status = if (ok) if (path.endsWith("/applications/")) 201 else 200 else 401
            val reply = when {
                !ok -> ""
                path == "/api/v1/login/" -> """{"token": "tok-1", "expires": "2099-01-01T00:00:00Z"}"""
                path.endsWith("/apply/") -> """{"id": "$id", "status": "APPROVED", "customer_id": "c-1"}"""
                else -> """{"id": "$id", "status": "CREATED"}"""
            }.toByteArray()
            exchange.sendResponseHeaders(status, if (reply.isEmpty()) -1 else reply.size.toLong())
            exchange.responseBody.use { it.write(reply) }
        }
        server.start()
        try {
            val base = "http://127.0.0.1:${server.address.port}"
            val approved = Client(ClientConfig.BaseUrl(base), secret).use { onboard(it, "partner-user", "pw", form) }
            assertEquals(ApplicationStatus.Approved, approved.status)
            assertEquals(NextAction.Approved("c-1"), nextAction(approved))
            assertEquals(listOf("POST /api/v1/login/", "POST /api/v1/applications/", "POST /api/v1/applications/$id/apply/"), seen)
            // A wrong secret is refused by the stand-in, and parsed as an API error.
            val e = runCatching { Client(ClientConfig.BaseUrl(base), "wrong").use { onboard(it, "partner-user", "pw", form) } }
                .exceptionOrNull()
            assertTrue(e is JikoException.ApiException && e.kind == ApiErrorKind.UNAUTHORIZED, "$e")
        } finally {
            server.stop(0)
        }
    }
}
