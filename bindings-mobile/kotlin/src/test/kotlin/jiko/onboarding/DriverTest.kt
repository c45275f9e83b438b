package jiko.onboarding

import jiko.onboarding.core.*
import kotlinx.coroutines.CompletableDeferred
import kotlinx.coroutines.ExperimentalCoroutinesApi
import kotlinx.coroutines.async
import kotlinx.coroutines.awaitCancellation
import kotlinx.coroutines.launch
import kotlinx.coroutines.test.TestCoroutineScheduler
import kotlinx.coroutines.test.TestScope
import kotlinx.coroutines.test.advanceTimeBy
import kotlinx.coroutines.test.runCurrent
import kotlinx.coroutines.test.runTest
import kotlinx.coroutines.withTimeout
import org.json.JSONObject
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertNotNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import java.time.Clock
import java.time.Instant
import java.time.ZoneId
import java.time.ZoneOffset
import kotlin.time.Duration.Companion.hours
import kotlin.time.Duration.Companion.minutes
import kotlin.time.Duration.Companion.seconds

/** The test scheduler's virtual time as a wall clock starting at [startMs]. */
class VirtualClock(private val scheduler: TestCoroutineScheduler, private val startMs: Long) : Clock() {
    override fun millis(): Long = startMs + scheduler.currentTime
    override fun instant(): Instant = Instant.ofEpochMilli(millis())
    override fun getZone(): ZoneId = ZoneOffset.UTC
    override fun withZone(zone: ZoneId?): Clock = this
}

/**
 * A scripted Jiko: answers each request by its path from the current [status] of the one
 * application, with overrides queued per operation ([script]), and records every request.
 */
class FakeJiko(
    var status: String = "SUBMITTED",
    var flags: Triple<Boolean, Boolean, Boolean> = Triple(false, false, false),
    val routing: String = "021000021",
    val account: String = "000123456789",
) : Transport {
    val sent = mutableListOf<PreparedRequest>()
    val script = mutableMapOf<String, ArrayDeque<suspend () -> HttpResponse>>()
    var gate: (suspend (PreparedRequest) -> Unit)? = null

    fun then(operation: String, answer: suspend () -> HttpResponse) {
        script.getOrPut(operation) { ArrayDeque() }.addLast(answer)
    }

    override suspend fun send(request: PreparedRequest, timeoutMillis: Long): HttpResponse {
        sent += request
        gate?.invoke(request)
        val operation = operationOf(request.method(), request.path())
        script[operation]?.removeFirstOrNull()?.let { return it() }
        return when (operation) {
            "login" -> json(200, """{"token": "token-${sent.size}", "expires": "2099-01-01T00:00:00+00:00"}""")
            "list_agreements" -> json(200, """{"version": "1.0.0", "release_date": "2026-01-15", "documents": []}""")
            "create_application" -> application(201, "CREATED")
            "apply" -> application(200, "SUBMITTED")
            "get_application" -> application(200, status)
            "upload_document" -> {
                flags = Triple(false, false, false)
                status = "PENDING"
                json(200, """{"success": true, "document_id": "$DOC"}""")
            }
            "get_customer" -> json(200, """{"type": "INDIVIDUAL", "account_status": "OPEN"}""")
            "list_customer_accounts" -> json(200, """{"offset": 0, "count": 1, "items": [{"id": "$ACCOUNT", "name": "J1", "status": "OPEN"}]}""")
            "list_portals" -> json(200, """{"count": 1, "portals": [{"id": "$PORTAL", "jiko_account_id": "$ACCOUNT",
                "routing_number": "$routing", "account_number": "$account", "status": "OPEN", "name": "Default"}]}""")
            else -> json(404, """{"detail": "Not Found"}""")
        }
    }

    fun application(code: Int, status: String): HttpResponse {
        val customer = if (status == "APPROVED") """, "customer_id": "$CUSTOMER"""" else ""
        return json(code, """{"id": "$APP", "status": "$status", "id_verification_documents_needed": ${flags.first},
            "identification_number_verification_document_needed": ${flags.second},
            "address_verification_document_needed": ${flags.third}, "documents": [], "exception_reasons": []$customer}""")
    }

    fun operations(): List<String> = sent.map { operationOf(it.method(), it.path()) }

    companion object {
        const val APP = "0b7b1c9e-3c1a-4f0e-9a57-2f4f1d6d2a10"
        const val CUSTOMER = "5d1a0c3e-8f7b-4e6a-9c2d-1b3a4c5d6e7f"
        const val ACCOUNT = "7e2b1d4f-9a8c-4b7d-8e6f-2c3d4e5f6a7b"
        const val PORTAL = "8f3c2e5a-0b9d-4c8e-9f7a-3d4e5f6a7b8c"
        const val DOC = "9a4d3f6b-1c0e-4d9f-8a8b-4e5f6a7b8c9d"

        fun json(status: Int, body: String, vararg headers: Pair<String, String>) =
            HttpResponse(status, headers.map { HttpHeader(it.first, it.second) } + HttpHeader("Content-Type", "application/json"), body.toByteArray())

        fun operationOf(method: String, path: String): String = when {
            path == "/api/v1/login/" -> "login"
            path == "/api/v1/agreements/" -> "list_agreements"
            path == "/api/v1/applications/" -> "create_application"
            path.endsWith("/apply/") -> "apply"
            path.endsWith("/file/") -> "upload_document"
            path.startsWith("/api/v1/applications/") && method == "GET" -> "get_application"
            path.endsWith("/jiko-accounts/") -> "list_customer_accounts"
            path.startsWith("/api/v1/customers/") -> "get_customer"
            path.endsWith("/portals/") -> "list_portals"
            else -> "other"
        }
    }
}

/**
 * The driver through a scripted transport and the test scheduler's virtual time: no
 * network, no real sleeping (a 15-minute wait takes no time).
 */
@OptIn(ExperimentalCoroutinesApi::class)
class DriverTest {
    private val startMs = 1_796_119_200_000L
    val png = byteArrayOf(0x89.toByte(), 'P'.code.toByte(), 'N'.code.toByte(), 'G'.code.toByte(), 13, 10, 26, 10, 0, 0)

    fun applicant(ssn: String = "412345678") = CreateApplicationRequest(
        identificationNumber = ssn,
        name = Name(firstName = "Ada", lastName = "Example"),
        email = "ada@example.com",
        phoneNumber = "+14155550100",
        dateOfBirth = "1980-02-29",
        investmentProfile = InvestmentProfile(EmploymentStatus.Retired, AnnualIncome.Below50k, NetWorth.Below50k),
        agreementConsent = AgreementConsent("1.0.0", "2026-01-01T12:00:00+00:00"),
        address = Address(streetAddress = "1 Main Street", city = "Berkeley", postalCode = "94701", state = "CA", country = "US"),
    )

    private fun TestScope.onboarding(
        jiko: FakeJiko,
        events: MutableList<OnboardingEvent> = mutableListOf(),
        config: FlowConfig = FlowConfig.default().copy(seed = 7uL),
    ) = Onboarding(
        ClientConfig.BaseUrl("http://127.0.0.1:8080"),
        Credentials("sandbox-user", "sandbox-password", "sandbox-signing-secret"),
        jiko,
        config,
        { events += it },
        VirtualClock(testScheduler, startMs),
    )

    @Test
    fun happyPathEndsApprovedWithTheDepositInstructions() = runTest {
        val jiko = FakeJiko(status = "APPROVED")
        val events = mutableListOf<OnboardingEvent>()
        val flow = onboarding(jiko, events).start(applicant(), java.time.LocalDate.parse("2026-12-01"))
        val result = flow.run()
        assertEquals(FlowState.APPROVED, result.state, "$result")
        val portal = result.customer!!.accounts.single().portals.single()
        assertEquals("021000021", portal.routingNumber)
        assertEquals("000123456789", portal.accountNumber)
        assertEquals(FakeJiko.APP, flow.applicationId)
        assertEquals(
            listOf("login", "list_agreements", "create_application", "apply", "get_application", "get_customer", "list_customer_accounts", "list_portals"),
            jiko.operations(),
        )
        // Apply answered SUBMITTED: the first read waits the KYC poll (2 s, jittered).
        val wait = events.filterIsInstance<OnboardingEvent.Waiting>().single()
        assertEquals(FlowWaitReason.KYC_IN_PROGRESS, wait.reason)
        assertTrue(wait.delayMillis in 1_800L..2_200L, "$wait")
        assertEquals(wait.delayMillis, testScheduler.currentTime)
        assertEquals(OnboardingEvent.Returned(FlowState.APPROVED, null), events.last())
        assertTrue(events.first() is OnboardingEvent.RequestSent)
        val sent = events.filterIsInstance<OnboardingEvent.RequestSent>()
        assertEquals("/api/v1/applications/{id}/apply/", sent[3].pathTemplate)
        assertTrue(flow.isFinished)
    }

    @Test
    fun transientFailuresAreRetriedWithTheSameKeyAndBytes() = runTest {
        val jiko = FakeJiko(status = "APPROVED")
        jiko.then("create_application") { FakeJiko.json(503, """{"detail": "down"}""") }
        jiko.then("create_application") { throw TransportFailure(TransportErrorKind.RESET, "reset") }
        jiko.then("apply") { throw TransportFailure(TransportErrorKind.TIMED_OUT, "slow") }
        val events = mutableListOf<OnboardingEvent>()
        val result = onboarding(jiko, events).start(applicant(), java.time.LocalDate.parse("2026-12-01")).run()
        assertEquals(FlowState.APPROVED, result.state)
        val creates = jiko.sent.filter { it.path() == "/api/v1/applications/" }
        assertEquals(3, creates.size)
        assertEquals(1, creates.map { it.idempotencyKey() }.toSet().size, "one key for every Create")
        assertEquals(1, creates.map { it.body().toList() }.toSet().size, "the same bytes")
        assertEquals(1, creates.map { it.header("x-jiko-signature") }.toSet().size, "the same signature")
        val applies = jiko.sent.filter { it.path().endsWith("/apply/") }
        assertEquals(2, applies.size)
        assertEquals(applies[0].idempotencyKey(), applies[1].idempotencyKey())
        val retries = events.filterIsInstance<OnboardingEvent.Waiting>().filter { it.reason == FlowWaitReason.RETRY }
        assertEquals(listOf(RetryReason.SERVER_ERROR, RetryReason.RESET, RetryReason.TIMED_OUT), retries.map { it.retryReason })
        assertTrue(events.any { it is OnboardingEvent.TransportFailed && it.kind == TransportErrorKind.TIMED_OUT })
    }

    @Test
    fun aLongRetryAfterReturnsWaitingInsteadOfSleeping() = runTest {
        val jiko = FakeJiko(status = "APPROVED")
        jiko.then("list_agreements") { FakeJiko.json(429, """{"detail": "slow down"}""", "Retry-After" to "3600") }
        val flow = onboarding(jiko).start(applicant(), java.time.LocalDate.parse("2026-12-01"))
        val result = flow.run(maxWait = 60.seconds)
        assertEquals(FlowState.WAITING, result.state)
        assertEquals(startMs + 3_600_000L, result.nextCheckAtMs!!.toLong())
        assertEquals(Instant.ofEpochMilli(startMs + 3_600_000L), result.nextCheckAt)
        assertEquals(0L, testScheduler.currentTime, "returned at once, no sleep")
        assertEquals(listOf("login", "list_agreements"), jiko.operations())
        // An hour later the same flow goes on.
        advanceTimeBy(3_600_000L)
        assertEquals(FlowState.APPROVED, flow.run().state)
    }

    @Test
    fun documentsAreAskedForThenUploadedAndTheFlowGoesOn() = runTest {
        val jiko = FakeJiko(status = "DOCUMENTS_NEEDED", flags = Triple(false, false, true))
        val events = mutableListOf<OnboardingEvent>()
        val flow = onboarding(jiko, events).start(applicant("231456789"), java.time.LocalDate.parse("2026-12-01"))
        val first = flow.run()
        assertEquals(FlowState.DOCUMENTS_NEEDED, first.state)
        assertEquals(listOf(listOf(DocumentType.AddressVerification)), first.requirements.map { it.oneOf })
        assertTrue(events.any { it is OnboardingEvent.DocumentsNeeded })
        val e = org.junit.jupiter.api.assertThrows<JikoException.DocumentException> { flow.provideDocument(DocumentType.AddressVerification, "application/pdf", png) }
        assertEquals("wrong_type", e.code)
        flow.provideDocument(DocumentType.AddressVerification, "image/png", png)
        jiko.then("apply") { jiko.status = "APPROVED"; jiko.application(200, "SUBMITTED") }
        val result = flow.run()
        assertEquals(FlowState.APPROVED, result.state, "$result")
        val upload = jiko.sent.single { it.path().endsWith("/file/") }
        assertEquals("/api/v1/applications/${FakeJiko.APP}/documents/ADDRESS_VERIFICATION/file/", upload.path())
        assertTrue(upload.body().contentEquals(png))
    }

    @Test
    fun notifyWakesASleepingRunAtOnce() = runTest {
        val jiko = FakeJiko(status = "MANUAL_REVIEW")
        val flow = onboarding(jiko).start(applicant("312345678"), java.time.LocalDate.parse("2026-12-01"))
        val run = async { flow.run(maxWait = 2.hours) }
        advanceTimeBy(60_000L)
        runCurrent()
        assertFalse(run.isCompleted, "waiting for the manual review (every 15 minutes)")
        val reads = jiko.operations().count { it == "get_application" }
        jiko.status = "REJECTED"
        flow.notify()
        runCurrent()
        assertTrue(run.isCompleted)
        assertEquals(FlowState.REJECTED, run.await().state)
        assertEquals(reads + 1, jiko.operations().count { it == "get_application" })
        assertTrue(testScheduler.currentTime < 15.minutes.inWholeMilliseconds, "woken long before the next scheduled read")
    }

    @Test
    fun cancellingARunLeavesASnapshotThatResumes() = runTest {
        val jiko = FakeJiko(status = "APPROVED")
        val reached = CompletableDeferred<Unit>()
        jiko.gate = { request ->
            if (request.path() == "/api/v1/applications/") {
                reached.complete(Unit)
                awaitCancellation()
            }
        }
        val events = mutableListOf<OnboardingEvent>()
        val flow = onboarding(jiko, events).start(applicant(), java.time.LocalDate.parse("2026-12-01"))
        val job = launch { flow.run() }
        reached.await()
        job.cancel()
        job.join()
        assertEquals(OnboardingEvent.TransportFailed(Operation.CREATE_APPLICATION, TransportErrorKind.RESET, 0), events.last())
        val snapshot = flow.snapshot()
        val parsed = JSONObject(snapshot)
        assertEquals(1, parsed.getInt("version"))
        // A new process: a new Onboarding, the same application (its Create was not answered).
        jiko.gate = null
        val again = onboarding(jiko).resume(snapshot, applicant())
        assertEquals(FlowState.APPROVED, again.run().state)
        val creates = jiko.sent.filter { it.path() == "/api/v1/applications/" }
        assertEquals(2, creates.size)
        assertEquals(creates[0].idempotencyKey(), creates[1].idempotencyKey(), "the ambiguous Create is resent with its key")
        val missing = org.junit.jupiter.api.assertThrows<JikoException.FlowException> { onboarding(jiko).resume(snapshot) }
        assertEquals("application_required", missing.code)
    }

    @Test
    fun anUnexpectedTransportExceptionIsReportedAsResetThenThrown() = runTest {
        val jiko = FakeJiko(status = "APPROVED")
        jiko.then("create_application") { throw IllegalStateException("a custom transport's own failure") }
        val events = mutableListOf<OnboardingEvent>()
        val flow = onboarding(jiko, events).start(applicant(), java.time.LocalDate.parse("2026-12-01"))
        val thrown = runCatching { flow.run() }.exceptionOrNull()
        assertTrue(thrown is IllegalStateException, "$thrown")
        assertEquals(OnboardingEvent.TransportFailed(Operation.CREATE_APPLICATION, TransportErrorKind.RESET, 0), events.last())
        // The engine saw the failure: the next run waits the retry backoff before resending,
        // with the same key (an ambiguous Create), instead of resending it at once.
        events.clear()
        val createdAt = mutableListOf<Long>()
        jiko.gate = { request -> if (request.path() == "/api/v1/applications/") createdAt += testScheduler.currentTime }
        assertEquals(FlowState.APPROVED, flow.run().state)
        val retry = events.first()
        assertTrue(retry is OnboardingEvent.Waiting && retry.reason == FlowWaitReason.RETRY && retry.retryReason == RetryReason.RESET, "$retry")
        assertEquals(1, createdAt.size)
        assertTrue(createdAt.single() > 0L, "resent after the backoff, at ${createdAt.single()} ms")
        assertEquals((retry as OnboardingEvent.Waiting).delayMillis, createdAt.single())
        val creates = jiko.sent.filter { it.path() == "/api/v1/applications/" }
        assertEquals(2, creates.size)
        assertEquals(creates[0].idempotencyKey(), creates[1].idempotencyKey())
    }

    @Test
    fun aStatusOutsideZeroTo65535IsReportedAsResetThenThrown() = runTest {
        val jiko = FakeJiko(status = "APPROVED")
        // A custom transport's bug: the engine would refuse the status (invalid_status)
        // without taking the answer, leaving the request outstanding.
        jiko.then("create_application") { FakeJiko.json(70000, "{}") }
        val events = mutableListOf<OnboardingEvent>()
        val flow = onboarding(jiko, events).start(applicant(), java.time.LocalDate.parse("2026-12-01"))
        val thrown = runCatching { flow.run() }.exceptionOrNull()
        assertTrue(thrown is IllegalStateException && thrown.message!!.contains("70000"), "$thrown")
        assertEquals(OnboardingEvent.TransportFailed(Operation.CREATE_APPLICATION, TransportErrorKind.RESET, 0), events.last())
        assertFalse(events.any { it is OnboardingEvent.ResponseReceived && it.status == 70000 })
        // The engine saw the failure: the next run first waits the retry backoff, then
        // resends the Create with the same key.
        events.clear()
        val createdAt = mutableListOf<Long>()
        jiko.gate = { request -> if (request.path() == "/api/v1/applications/") createdAt += testScheduler.currentTime }
        assertEquals(FlowState.APPROVED, flow.run().state)
        val retry = events.first()
        assertTrue(retry is OnboardingEvent.Waiting && retry.reason == FlowWaitReason.RETRY && retry.retryReason == RetryReason.RESET, "$retry")
        assertEquals(1, createdAt.size)
        assertTrue(createdAt.single() > 0L, "resent after the backoff, at ${createdAt.single()} ms")
        val creates = jiko.sent.filter { it.path() == "/api/v1/applications/" }
        assertEquals(2, creates.size)
        assertEquals(creates[0].idempotencyKey(), creates[1].idempotencyKey())
    }

    @Test
    fun aTransportsOwnTimeoutIsTimedOutNotACancellation() = runTest {
        val jiko = FakeJiko(status = "APPROVED")
        // A transport bounding itself with withTimeout: its TimeoutCancellationException
        // is no answer in time while the run goes on, not a cancellation of the run.
        jiko.then("apply") { withTimeout(1_000L) { awaitCancellation() } }
        val events = mutableListOf<OnboardingEvent>()
        val result = onboarding(jiko, events).start(applicant(), java.time.LocalDate.parse("2026-12-01")).run()
        assertEquals(FlowState.APPROVED, result.state, "$result")
        assertTrue(events.contains(OnboardingEvent.TransportFailed(Operation.APPLY, TransportErrorKind.TIMED_OUT, 1_000L)), "$events")
        val retries = events.filterIsInstance<OnboardingEvent.Waiting>().filter { it.reason == FlowWaitReason.RETRY }
        assertEquals(listOf(RetryReason.TIMED_OUT), retries.map { it.retryReason })
        assertEquals(2, jiko.operations().count { it == "apply" })
    }

    @Test
    fun flowsOfOneOnboardingShareOneLogin() = runTest {
        val jiko = FakeJiko(status = "APPROVED")
        val onboarding = onboarding(jiko)
        val runs = (1..3).map { onboarding.start(applicant("41234567$it"), java.time.LocalDate.parse("2026-12-01")) }
            .map { async { it.run() } }
        assertTrue(runs.all { it.await().state == FlowState.APPROVED })
        assertEquals(1, jiko.operations().count { it == "login" })
    }

    @Test
    fun anInvalidApplicationIsRefusedBeforeAnythingIsSent() = runTest {
        val jiko = FakeJiko()
        val e = org.junit.jupiter.api.assertThrows<JikoException.ValidationException> {
            onboarding(jiko).start(applicant("12-34"), java.time.LocalDate.parse("2026-12-01"))
        }
        assertTrue(e.errors.any { it.path == "identification_number" })
        assertTrue(jiko.sent.isEmpty())
        assertNotNull(e.detail)
    }
}
