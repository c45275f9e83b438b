package jiko.onboarding

import jiko.onboarding.core.*
import jiko.onboarding.examples.webhooks.WebhookReceiver
import kotlinx.coroutines.CompletableDeferred
import kotlinx.coroutines.async
import kotlinx.coroutines.awaitAll
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withTimeout
import org.json.JSONObject
import org.junit.jupiter.api.AfterAll
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.TestInstance
import org.junit.jupiter.params.ParameterizedTest
import org.junit.jupiter.params.provider.ValueSource
import org.junit.jupiter.api.Test
import java.net.URI
import java.net.http.HttpClient
import java.net.http.HttpRequest
import java.util.Collections
import java.util.concurrent.ConcurrentHashMap
import kotlin.time.Duration.Companion.seconds

/**
 * The driver end to end against the local simulator (jiko-sandbox), with both
 * transports: every sandbox scenario of the guide to its final state, a snapshot resumed
 * in a new Onboarding, a webhook delivered to the example receiver waking a waiting flow,
 * both idempotency readings, and a run with the simulator's faults on.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FlowE2eTest {
    private val sandboxes = mutableListOf<SandboxProcess>()
    private val png = DriverTest().png

    private fun sandbox(vararg options: String) = SandboxProcess(*options).also { sandboxes += it }

    @AfterAll
    fun stop() = sandboxes.forEach { it.close() }

    private fun transport(name: String): Transport = if (name == "okhttp") OkHttpTransport() else JavaHttpTransport()

    private fun onboarding(baseUrl: String, transport: Transport, config: FlowConfig = FlowConfig.default(), events: MutableList<OnboardingEvent>? = null) =
        Onboarding(
            ClientConfig.BaseUrl(baseUrl),
            Credentials("sandbox-user", "sandbox-password", "sandbox-signing-secret"),
            transport,
            config,
            events?.let { list -> OnboardingListener { synchronized(list) { list += it } } },
        )

    /** Runs until the journey ends or waits for a person (manual review), giving PNGs for every document asked. */
    private suspend fun drive(flow: Flow, uploaded: MutableList<String> = mutableListOf()): FlowResult {
        var result = flow.run(maxWait = 30.seconds)
        while (result.state == FlowState.DOCUMENTS_NEEDED) {
            for (requirement in result.requirements) {
                val type = requirement.oneOf.first()
                flow.provideDocument(type, "image/png", png)
                uploaded += type.wireValue()
            }
            result = flow.run(maxWait = 30.seconds)
        }
        return result
    }

    private class Expected(val ssn: String, val state: FlowState, val status: String, val documents: List<String>)

    private val scenarios = listOf(
        Expected("412345678", FlowState.APPROVED, "APPROVED", emptyList()),
        Expected("512345678", FlowState.REJECTED, "REJECTED", emptyList()),
        Expected("312345678", FlowState.WAITING, "MANUAL_REVIEW", emptyList()),
        Expected("212345678", FlowState.APPROVED, "APPROVED", listOf("ID_FRONT", "ID_BACK", "SELFIE")),
        Expected("222345678", FlowState.APPROVED, "APPROVED", listOf("IDENTIFICATION_NUMBER_VERIFICATION")),
        Expected("232345678", FlowState.APPROVED, "APPROVED", listOf("ADDRESS_VERIFICATION")),
        Expected("242345678", FlowState.APPROVED, "APPROVED", listOf("ID_FRONT", "ID_BACK", "SELFIE", "IDENTIFICATION_NUMBER_VERIFICATION")),
        Expected("211456789", FlowState.WAITING, "MANUAL_REVIEW", listOf("ID_FRONT", "ID_BACK", "SELFIE")),
        Expected("231456789", FlowState.WAITING, "MANUAL_REVIEW", listOf("ADDRESS_VERIFICATION")),
    )

    @ParameterizedTest
    @ValueSource(strings = ["java", "okhttp"])
    fun everySandboxScenarioReachesItsFinalState(transportName: String) = runBlocking {
        val sim = sandbox()
        val events = mutableListOf<OnboardingEvent>()
        onboarding(sim.baseUrl, transport(transportName), events = events).use { onboarding ->
            // All applicants at once, sharing the Onboarding's one login.
            val results = scenarios.map { expected ->
                async {
                    val uploaded = mutableListOf<String>()
                    val result = drive(onboarding.start(DriverTest().applicant(expected.ssn)), uploaded)
                    Triple(expected, result, uploaded)
                }
            }.awaitAll()
            for ((expected, result, uploaded) in results) {
                val at = "$transportName, SSN ${expected.ssn.take(3)}"
                assertEquals(expected.state, result.state, "$at: $result")
                assertEquals(expected.status, result.application!!.status.wireValue(), at)
                assertEquals(expected.documents, uploaded, at)
                if (expected.state == FlowState.APPROVED) {
                    val portal = result.customer!!.accounts.single().portals.single()
                    assertTrue(portal.routingNumber.matches(Regex("\\d{9}")), at)
                    assertTrue(portal.accountNumber.matches(Regex("\\d{10,12}")), at)
                    assertEquals(PortalStatus.Open, portal.status, at)
                    println("e2e $at: approved, routing ${maskNumber(portal.routingNumber)}, account ${maskNumber(portal.accountNumber)}")
                }
                if (expected.state == FlowState.WAITING) assertTrue(result.nextCheckAtMs != null, at)
            }
        }
        assertEquals(1, events.count { it is OnboardingEvent.RequestSent && it.operation == Operation.LOGIN }, "one login for all flows")
        assertEquals(9, stats(sim).getJSONObject("identification_numbers").getInt("distinct"))
        assertEquals(0, stats(sim).getJSONObject("identification_numbers").getInt("with_more_than_one_application"))
    }

    @Test
    fun aSnapshotResumesInANewOnboarding() = runBlocking {
        val sim = sandbox()
        val snapshot = onboarding(sim.baseUrl, JavaHttpTransport()).use { first ->
            val flow = first.start(DriverTest().applicant("242345678"))
            val result = flow.run()
            assertEquals(FlowState.DOCUMENTS_NEEDED, result.state)
            flow.snapshot()
        }
        // Another process: documents are not in the snapshot, so the flow asks again.
        onboarding(sim.baseUrl, OkHttpTransport()).use { second ->
            val flow = second.resume(snapshot)
            val uploaded = mutableListOf<String>()
            val result = drive(flow, uploaded)
            assertEquals(FlowState.APPROVED, result.state, "$result")
            assertEquals(listOf("ID_FRONT", "ID_BACK", "SELFIE", "IDENTIFICATION_NUMBER_VERIFICATION"), uploaded)
        }
        // Midway in a wait: resumed before the outcome is known.
        val waiting = onboarding(sim.baseUrl, JavaHttpTransport()).use { first ->
            val flow = first.start(DriverTest().applicant("412345678"))
            val result = flow.run(maxWait = 0.seconds)
            assertEquals(FlowState.WAITING, result.state)
            flow.snapshot()
        }
        onboarding(sim.baseUrl, JavaHttpTransport()).use { second ->
            assertEquals(FlowState.APPROVED, second.resume(waiting).run().state)
        }
        assertEquals(0, stats(sim).getJSONObject("identification_numbers").getInt("with_more_than_one_application"))
    }

    @Test
    fun aWebhookWakesAWaitingFlowThroughTheExampleReceiver() = runBlocking {
        // The outcome shows only by itself after 1.5 s, with its webhook: polling alone
        // would not see it sooner.
        val sim = sandbox("--outcome-after-polls", "1000", "--decide-after-ms", "1500")
        val sharedSecret = "subscription-shared-secret-1"
        val flows = ConcurrentHashMap<String, Flow>()
        val done = CompletableDeferred<FlowResult>()
        WebhookReceiver(0, listOf(sharedSecret), flows::get) { _, result ->
            if (result.state != FlowState.WAITING) done.complete(result)
        }.use { receiver ->
            onboarding(sim.baseUrl, JavaHttpTransport(), FlowConfig.default().copy(webhooks = true)).use { onboarding ->
                subscribe(onboarding, sim.baseUrl, receiver.url, sharedSecret)
                val flow = onboarding.start(DriverTest().applicant("412345678"))
                val first = flow.run(maxWait = 1.seconds)
                assertEquals(FlowState.WAITING, first.state, "the first read is 2 s away: run returns")
                flows[flow.applicationId!!] = flow
                val result = withTimeout(20.seconds) { done.await() }
                assertEquals(FlowState.APPROVED, result.state, "$result")
                assertTrue(result.customer!!.accounts.single().portals.isNotEmpty())
            }
        }
        val webhooks = stats(sim).getJSONObject("webhooks")
        assertTrue(webhooks.getInt("deliveries") >= 1, "$webhooks")
    }

    @ParameterizedTest
    @ValueSource(strings = ["replay", "reject"])
    fun bothIdempotencyReadingsWithFaultsOn(reading: String) = runBlocking {
        val sim = sandbox(
            "--idempotency", reading, "--seed", "20261207",
            "--faults", "lost_response=0.05,server_error=0.05,unavailable=0.05,rate_limit=0.05,reset=0.05,token_revoked=0.05",
        )
        // Short retries and outages: with a quarter of the requests failing, a request can
        // spend its retries twice in a row, and the default outage waits (30 s, then 60 s)
        // would outlast run's maxWait (a flake seen once in CI).
        val fast = FlowConfig.default().copy(
            retry = RetryPolicy.default().copy(
                baseDelayMs = 50uL, maxDelayMs = 200uL, outageBaseDelayMs = 200uL, outageMaxDelayMs = 1_000uL,
            ),
        )
        onboarding(sim.baseUrl, if (reading == "replay") JavaHttpTransport() else OkHttpTransport(), fast).use { onboarding ->
            // Distinct people: 4 approved, 5 rejected, 3 manual review, 232 an address document then approved.
            val ssns = (0 until 12).map { listOf("4123456", "5123456", "3123456", "2323456")[it % 4] + "%02d".format(it) }
            val results = ssns.map { ssn -> async { ssn to drive(onboarding.start(DriverTest().applicant(ssn))) } }.awaitAll()
            for ((ssn, result) in results) {
                val at = "$reading, SSN ${ssn.take(2)}"
                val error = result.error
                if (result.state == FlowState.FAILED) {
                    // Only the reading that refuses a repeated key can leave a Create's outcome unknown.
                    assertEquals("reject", reading, "$at: $error")
                    assertEquals("create_outcome_unknown", error!!.code, "$at: $error")
                    assertTrue((error as JikoException.FlowException).idempotencyKey != null)
                    continue
                }
                val expected = when {
                    ssn.startsWith("4") || ssn.startsWith("23") -> FlowState.APPROVED
                    ssn.startsWith("5") -> FlowState.REJECTED
                    else -> FlowState.WAITING
                }
                assertEquals(expected, result.state, "$at: $result")
            }
        }
        val stats = stats(sim)
        println("faults ($reading): ${stats.getJSONObject("faults_injected")}")
        assertEquals(0, stats.getJSONObject("identification_numbers").getInt("with_more_than_one_application"), "never two applications for one person")
    }

    /** Create Subscription with the low-level API: log in, build, send, parse. */
    private suspend fun subscribe(onboarding: Onboarding, baseUrl: String, url: String, sharedSecret: String) {
        val transport = JavaHttpTransport()
        val login = transport.send(onboarding.client.login("sandbox-user", "sandbox-password"), 10_000)
        parseLogin(login.status, login.body).use { session ->
            val request = onboarding.client.createSubscription(session.token(), url, listOf(EventType.ApplicationApproved, EventType.ApplicationDocumentsNeeded), sharedSecret)
            val answer = transport.send(request, 10_000)
            val subscription = parseSubscription(answer.status, answer.body)
            assertEquals(url, subscription.url)
            assertEquals(SubscriptionStatus.Enabled, subscription.status)
        }
        assertTrue(baseUrl.startsWith("http://127.0.0.1"))
    }

    private fun stats(sim: SandboxProcess): JSONObject {
        val http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()
        val response = http.send(HttpRequest.newBuilder(URI.create("${sim.baseUrl}/_simulator/stats")).build(), java.net.http.HttpResponse.BodyHandlers.ofString())
        return JSONObject(response.body())
    }
}
