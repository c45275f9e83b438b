package jiko.onboarding

import jiko.onboarding.core.*

import org.json.JSONObject
import org.junit.jupiter.api.AfterAll
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.BeforeAll
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.TestInstance
import org.junit.jupiter.api.assertThrows
import org.junit.jupiter.api.fail
import java.io.BufferedReader
import java.io.File
import java.io.InputStreamReader
import java.net.URI
import java.net.http.HttpClient
import java.net.http.HttpRequest
import java.net.http.HttpResponse
import java.time.Duration
import java.time.Instant
import java.util.concurrent.CompletableFuture
import java.util.concurrent.TimeUnit

/**
 * The local Jiko sandbox simulator (`tests/sandbox`, binary `jiko-sandbox`) as a child
 * process on a free port. [close] kills it; a JVM shutdown hook does too, should the
 * test JVM end before the test does.
 */
class SandboxProcess(vararg options: String) : AutoCloseable {
    private val process: Process
    private val hook: Thread
    val baseUrl: String

    init {
        val bin = File(System.getProperty("jiko.sandbox.bin") ?: "../../target/debug/jiko-sandbox")
        if (!bin.canExecute()) {
            fail("no simulator binary at ${bin.absolutePath}: run make -C tests/sandbox build (make -C bindings-mobile test does)")
        }
        process = ProcessBuilder(listOf(bin.absolutePath, "--port", "0") + options)
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start()
        hook = Thread { process.destroyForcibly() }
        Runtime.getRuntime().addShutdownHook(hook)
        val first = try {
            val reader = BufferedReader(InputStreamReader(process.inputStream, Charsets.UTF_8))
            CompletableFuture.supplyAsync { reader.readLine() }.get(30, TimeUnit.SECONDS)
        } catch (e: Exception) {
            close()
            throw AssertionError("the simulator did not print its address within 30 s", e)
        }
        val prefix = "listening on "
        if (first == null || !first.startsWith(prefix)) {
            close()
            fail("unexpected first line from the simulator: $first")
        }
        baseUrl = first.removePrefix(prefix).trim()
    }

    override fun close() {
        process.destroy()
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly()
            process.waitFor(5, TimeUnit.SECONDS)
        }
        runCatching { Runtime.getRuntime().removeShutdownHook(hook) }
    }

    fun isAlive(): Boolean = process.isAlive
}

/**
 * End-to-end (issue 6, item 4): complete onboarding flows against the simulator, driven
 * by the generated Kotlin bindings and `java.net.http.HttpClient`, deciding each step with
 * `nextAction` and `requiredDocuments`; and the refusals a client must handle, each
 * surfacing as the right `JikoException`.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class E2eTest {
    private val username = "sandbox-user"
    private val password = "sandbox-password"
    private val secret = "sandbox-signing-secret"
    private lateinit var sandbox: SandboxProcess

    // The simulator speaks HTTP/1.1 only: skip HttpClient's h2c upgrade attempt.
    private val http: HttpClient = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(10))
        .build()

    /** Headers HttpClient sets itself and refuses to be given. */
    private val restricted = setOf("content-length", "host", "connection", "expect", "upgrade")

    private val png1x1 = intArrayOf(
        0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52,
        0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x00, 0x00, 0x00, 0x00, 0x3a, 0x7e, 0x9b,
        0x55, 0x00, 0x00, 0x00, 0x0a, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0xf8, 0x0f, 0x00, 0x01,
        0x01, 0x01, 0x00, 0xb1, 0x38, 0xf6, 0x14, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae,
        0x42, 0x60, 0x82,
    ).map { it.toByte() }.toByteArray()

    private fun applicant(ssn: String) = CreateApplicationRequest(
        identificationNumber = ssn,
        name = Name(firstName = "Ada", lastName = "Example"),
        email = "ada@example.com",
        phoneNumber = "15551234567",
        dateOfBirth = "1980-02-29",
        investmentProfile = InvestmentProfile(EmploymentStatus.Employed, AnnualIncome.Between100kAnd250k, NetWorth.Between1mAnd5m, "Engineer"),
        agreementConsent = AgreementConsent("1.0.0", "2026-01-01T12:00:00+00:00"),
        address = Address(streetAddress = "1 Main Street", city = "Berkeley", postalCode = "94701", state = "CA", country = "US"),
    )

    @BeforeAll
    fun start() {
        sandbox = SandboxProcess()
    }

    @AfterAll
    fun stop() {
        sandbox.close()
        assertFalse(sandbox.isAlive(), "the simulator process was killed")
    }

    private class Reply(val status: Int, val body: ByteArray, val retryAfter: String?)

    private fun send(prepared: PreparedRequest): Reply {
        val body = prepared.body()
        return send(prepared.method(), prepared.url(), prepared.headers().map { it.name to it.value }, body)
    }

    private fun send(method: String, url: String, headers: List<Pair<String, String>>, body: ByteArray): Reply {
        val builder = HttpRequest.newBuilder(URI.create(url))
            .timeout(Duration.ofSeconds(30))
            .method(method, if (body.isEmpty()) HttpRequest.BodyPublishers.noBody() else HttpRequest.BodyPublishers.ofByteArray(body))
        for ((name, value) in headers) {
            if (name.lowercase() !in restricted) builder.header(name, value)
        }
        val response = http.send(builder.build(), HttpResponse.BodyHandlers.ofByteArray())
        return Reply(response.statusCode(), response.body(), response.headers().firstValue("Retry-After").orElse(null))
    }

    private fun login(client: Client): Session = client.login(username, password).use { request ->
        val reply = send(request)
        parseLogin(reply.status, reply.body, reply.retryAfter)
    }

    private fun application(prepared: PreparedRequest): Application = prepared.use {
        val reply = send(it)
        parseApplication(reply.status, reply.body, reply.retryAfter)
    }

    /**
     * One applicant from Create Application to a final status (APPROVED, REJECTED or
     * MANUAL_REVIEW), each step chosen by `nextAction`. Returns the statuses seen, in
     * order (consecutive repeats folded), and the document types uploaded.
     */
    private fun onboard(client: Client, token: String, ssn: String): Triple<List<String>, List<String>, Application> {
        val statuses = mutableListOf<String>()
        val uploaded = mutableListOf<String>()
        fun see(a: Application): Application {
            val s = a.status.wireValue()
            if (statuses.lastOrNull() != s) statuses += s
            return a
        }
        var app = see(application(client.createApplication(token, applicant(ssn), java.time.LocalDate.now())))
        assertEquals(NextAction.Apply, nextAction(app))
        for (step in 0 until 40) {
            when (val action = nextAction(app)) {
                NextAction.Apply -> app = see(application(client.apply(token, app.id)))
                is NextAction.UploadDocuments -> {
                    assertEquals(requiredDocuments(app), action.requirements)
                    for (requirement in action.requirements) {
                        val type = requirement.oneOf.first()
                        val result = client.uploadDocument(token, app.id, type, "image/png", png1x1).use { request ->
                            val reply = send(request)
                            parseUpload(reply.status, reply.body, reply.retryAfter)
                        }
                        assertTrue(result.success)
                        uploaded += type.wireValue()
                    }
                    app = see(application(client.getApplication(token, app.id)))
                }
                is NextAction.Wait -> {
                    if (action.reason == WaitReason.MANUAL_REVIEW) return Triple(statuses, uploaded, app)
                    app = see(application(client.getApplication(token, app.id)))
                }
                is NextAction.Approved, NextAction.Rejected -> return Triple(statuses, uploaded, app)
                is NextAction.Unknown -> fail("unknown status ${action.status}")
            }
        }
        fail("no final status after 40 steps: $statuses")
    }

    private fun flow(ssn: String, expectedStatuses: List<String>, expectedUploads: List<String>): Application =
        Client(ClientConfig.BaseUrl(sandbox.baseUrl), secret).use { client ->
            login(client).use { session ->
                assertFalse(session.needsRefresh(Instant.now().epochSecond))
                val agreements = client.listAgreements(session.token()).use { request ->
                    val reply = send(request)
                    parseAgreements(reply.status, reply.body, reply.retryAfter)
                }
                assertTrue(agreements.documents.isNotEmpty())
                val (statuses, uploads, app) = onboard(client, session.token(), ssn)
                println("e2e ${ssn.take(3)}x: ${statuses.joinToString(" -> ")}${if (uploads.isEmpty()) "" else " (uploaded ${uploads.joinToString()})"}")
                assertEquals(expectedStatuses, statuses, "statuses for an SSN starting ${ssn.take(3)}")
                assertEquals(expectedUploads, uploads, "documents for an SSN starting ${ssn.take(3)}")
                app
            }
        }

    private val idDocs = listOf("ID_FRONT", "ID_BACK", "SELFIE")

    @Test
    fun ssnStartingWith4IsApproved() {
        val app = flow("412345678", listOf("CREATED", "SUBMITTED", "APPROVED"), emptyList())
        val action = nextAction(app)
        assertTrue(action is NextAction.Approved && !action.customerId.isNullOrEmpty(), "$action")
    }

    @Test
    fun ssnStartingWith5IsRejected() {
        val app = flow("512345678", listOf("CREATED", "SUBMITTED", "REJECTED"), emptyList())
        assertEquals(NextAction.Rejected, nextAction(app))
    }

    @Test
    fun ssnStartingWith3GoesToManualReview() {
        val app = flow("312345678", listOf("CREATED", "SUBMITTED", "MANUAL_REVIEW"), emptyList())
        assertEquals(NextAction.Wait(WaitReason.MANUAL_REVIEW), nextAction(app))
    }

    @Test
    fun ssnStartingWith21NeedsIdDocumentsThenIsApproved() {
        val app = flow(
            "212345678",
            listOf("CREATED", "SUBMITTED", "DOCUMENTS_NEEDED", "PENDING", "SUBMITTED", "APPROVED"),
            idDocs,
        )
        assertTrue(nextAction(app) is NextAction.Approved)
    }

    @Test
    fun ssnStartingWith231NeedsAnAddressDocumentThenGoesToManualReview() {
        flow(
            "231456789",
            listOf("CREATED", "SUBMITTED", "DOCUMENTS_NEEDED", "PENDING", "SUBMITTED", "MANUAL_REVIEW"),
            listOf("ADDRESS_VERIFICATION"),
        )
    }

    @Test
    fun ssnStartingWith24NeedsIdAndIdNumberDocumentsThenIsApproved() {
        flow(
            "242345678",
            listOf("CREATED", "SUBMITTED", "DOCUMENTS_NEEDED", "PENDING", "SUBMITTED", "APPROVED"),
            idDocs + "IDENTIFICATION_NUMBER_VERIFICATION",
        )
    }

    private inline fun apiError(kind: ApiErrorKind, status: Int, block: () -> Unit): JikoException.ApiException {
        val e = assertThrows<JikoException.ApiException> { block() }
        assertEquals(kind, e.kind, e.detail)
        assertEquals(status, e.status)
        assertEquals("api_${kind.wireValue()}", e.code)
        return e
    }

    @Test
    fun aTamperedBodyIsUnauthorized() {
        Client(ClientConfig.BaseUrl(sandbox.baseUrl), secret).use { client ->
            login(client).use { session ->
                client.createApplication(session.token(), applicant("412345678"), java.time.LocalDate.now()).use { request ->
                    val body = String(request.body(), Charsets.UTF_8).replace("Ada", "Eve").toByteArray(Charsets.UTF_8)
                    assertFalse(body.contentEquals(request.body()))
                    val reply = send(request.method(), request.url(), request.headers().map { it.name to it.value }, body)
                    apiError(ApiErrorKind.UNAUTHORIZED, 401) { parseApplication(reply.status, reply.body, reply.retryAfter) }
                    // The untouched request (its key unused: refused requests do not use it up) passes.
                    val untouched = send(request)
                    assertEquals(ApplicationStatus.Created, parseApplication(untouched.status, untouched.body).status)
                }
            }
        }
    }

    /** The simulator's default (`--idempotency replay`): the same request again gets its first answer. */
    @Test
    fun aResentRequestGetsItsFirstAnswerAgain() {
        Client(ClientConfig.BaseUrl(sandbox.baseUrl), secret).use { client ->
            login(client).use { session ->
                client.createApplication(session.token(), applicant("412345678"), java.time.LocalDate.now(), newIdempotencyKey()).use { request ->
                    val first = send(request)
                    val again = send(request)
                    assertEquals(201, first.status)
                    assertEquals(201, again.status)
                    assertTrue(first.body.contentEquals(again.body), "the replay is the first answer, byte for byte")
                }
            }
        }
    }

    @Test
    fun aReusedIdempotencyKeyIsAConflict() {
        SandboxProcess("--idempotency", "reject").use { rejecting ->
            Client(ClientConfig.BaseUrl(rejecting.baseUrl), secret).use { client ->
                login(client).use { session ->
                    client.createApplication(session.token(), applicant("412345678"), java.time.LocalDate.now(), newIdempotencyKey()).use { request ->
                        val first = send(request)
                        assertEquals(ApplicationStatus.Created, parseApplication(first.status, first.body).status)
                        val again = send(request)
                        apiError(ApiErrorKind.CONFLICT, 409) { parseApplication(again.status, again.body, again.retryAfter) }
                    }
                }
            }
        }
    }

    @Test
    fun anExpiredTokenIsUnauthorized() {
        SandboxProcess("--token-lifetime-seconds", "0").use { expiring ->
            Client(ClientConfig.BaseUrl(expiring.baseUrl), secret).use { client ->
                login(client).use { session ->
                    assertTrue(session.needsRefresh(Instant.now().epochSecond), "the token is expired on arrival")
                    val reply = client.listAgreements(session.token()).use { send(it) }
                    apiError(ApiErrorKind.UNAUTHORIZED, 401) { parseAgreements(reply.status, reply.body, reply.retryAfter) }
                    val create = client.createApplication(session.token(), applicant("412345678"), java.time.LocalDate.now()).use { send(it) }
                    apiError(ApiErrorKind.UNAUTHORIZED, 401) { parseApplication(create.status, create.body) }
                }
            }
            assertTrue(expiring.isAlive())
        }
    }

    @Test
    fun aBodyTheServerRefusesIsAValidationErrorWithFieldErrors() {
        Client(ClientConfig.BaseUrl(sandbox.baseUrl), secret).use { client ->
            login(client).use { session ->
                // Built by hand (the client would refuse it before sending), signed with Signer.
                val json = JSONObject(createApplicationRequestToJson(applicant("412345678")))
                json.put("date_of_birth", "2015-06-01") // under 18
                json.put("email", "not-an-email")
                val body = json.toString().toByteArray(Charsets.UTF_8)
                val key = newIdempotencyKey()
                val path = "/api/v1/applications/"
                val signature = Signer(secret).use { it.sign(key, path, body) }
                val reply = send(
                    "POST", sandbox.baseUrl + path,
                    listOf("Authorization" to "Bearer ${session.token()}", "x-jiko-idempotency" to key, "x-jiko-signature" to signature, "Content-Type" to "application/json"),
                    body,
                )
                val e = apiError(ApiErrorKind.VALIDATION, 422) { parseApplication(reply.status, reply.body, reply.retryAfter) }
                val fields = e.errors.map { it.path to it.code }.toSet()
                assertTrue(("date_of_birth" to "under_age") in fields, "$fields")
                assertTrue(fields.any { it.first == "email" }, "$fields")
                assertEquals(e.errors, e.fieldErrors)
                for (t in e.texts() + e.errors.map { it.message }) {
                    assertFalse(t.contains("not-an-email") || t.contains("2015-06-01"), "no value echoed: $t")
                }
            }
        }
    }
}
