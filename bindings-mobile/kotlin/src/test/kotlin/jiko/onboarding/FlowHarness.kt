package jiko.onboarding

import jiko.onboarding.core.*
import org.json.JSONArray
import org.json.JSONObject
import org.junit.jupiter.api.Assertions.assertArrayEquals
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.assertThrows
import org.junit.jupiter.api.fail

/**
 * One transcript of flows.json, run as core/tests/vectors.rs's `Harness` runs it (read
 * with tests/vectors/README.md, "flows.json"): a host whose network is the script.
 */
class FlowHarness(private val case: JSONObject) {
    private val name = case.getString("name")
    private val config = flowConfigFromJson(case.getJSONObject("config").toString())
    private val applicationJson = JSONObject.valueToString(case.get("application"))
    private val today = case.getString("today")
    private val restoreEveryStep = case.getBoolean("restore_every_step")
    private val client = Client(ClientConfig.BaseUrl("http://127.0.0.1:8080"), "sandbox-signing-secret")
    private val auth = Authenticator("sandbox-user", "sandbox-password")
    private var now = case.getLong("start_ms").toULong()
    private var flow = OnboardingFlow.startJson(client, config, applicationJson, today, now)
    private val keys = mutableSetOf<String>()
    private val lastSent = mutableMapOf<String, PreparedRequest>()
    private val documents = mutableListOf<Triple<DocumentType, String, ByteArray>>()

    fun run() {
        val script = case.getJSONArray("script")
        for (i in 0 until script.length()) {
            val entry = script.getJSONObject(i)
            val at = "$name entry $i"
            when {
                entry.has("expect") -> expect(entry, at)
                entry.has("notify") -> flow.notify(now)
                entry.has("provide") -> provide(entry.getJSONObject("provide"), Vectors.nullableString(entry, "error"), at)
                entry.has("restore") -> restore()
                entry.has("advance_ms") -> now += entry.getLong("advance_ms").toULong()
                else -> fail("$at: unknown entry $entry")
            }
        }
    }

    private fun expect(entry: JSONObject, at: String) {
        val expected = entry.getJSONObject("expect")
        if (restoreEveryStep && !flow.isFinished()) restore()
        val step = flow.poll(now, auth)
        assertEquals(comparable(step), comparable(flow.poll(now, auth)), "$at: polling again without an answer gives the same step")
        when (step) {
            is Step.Send -> {
                assertTrue(expected.has("send"), "$at: expected $expected, got a send of ${step.transmit.operation}")
                checkSend(step.transmit, expected.getJSONObject("send"), at)
                answer(step.transmit, entry.optJSONObject("then"), at)
            }
            is Step.Wait -> {
                assertTrue(expected.has("wait"), "$at: expected $expected, got $step")
                checkWait(step.wait, expected.getJSONObject("wait"), at)
                if (!entry.has("stay")) now = step.wait.untilMs
            }
            is Step.NeedDocuments -> {
                assertTrue(expected.has("need_documents"), "$at: expected $expected, got $step")
                val want = expected.getJSONObject("need_documents").getJSONArray("requirements")
                assertEquals(VectorTest.requirementsJson(want), VectorTest.requirementsJson(step.requirements), at)
            }
            is Step.Done -> {
                assertTrue(expected.has("done"), "$at: expected $expected, got $step")
                checkDone(step.outcome, expected.getJSONObject("done"), at)
            }
        }
    }

    /** Snapshot, restore into a new flow, and provide the documents not yet uploaded again. */
    private fun restore() {
        val snapshot = flow.snapshot()
        flow.close()
        flow = OnboardingFlow.restoreJson(client, config, snapshot, applicationJson, today)
        for ((type, contentType, data) in documents) flow.provideDocument(type, contentType, data)
    }

    private fun checkSend(transmit: Transmit, expected: JSONObject, at: String) {
        val operation = transmit.operation.wireValue()
        val request = transmit.request
        assertEquals(expected.getString("operation"), operation, at)
        assertEquals(expected.getString("method"), request.method(), at)
        assertEquals(expected.getString("path"), request.path(), at)
        val key = request.idempotencyKey()
        when (val rule = Vectors.nullableString(expected, "key")) {
            null -> assertNull(key, at)
            "new" -> assertTrue(keys.add(key!!), "$at: a key sent before")
            "repeat" -> {
                val previous = lastSent.getValue(operation)
                assertEquals(previous.idempotencyKey(), key, "$at: another key")
                assertArrayEquals(previous.body(), request.body(), "$at: other bytes")
                assertEquals(previous.header("x-jiko-signature"), request.header("x-jiko-signature"), "$at: another signature")
            }
            else -> fail("$at: key $rule")
        }
        Vectors.nullableString(expected, "token")?.let { assertEquals("Bearer $it", request.header("authorization"), at) }
        lastSent[operation] = request
    }

    /** Hands the script's answer back; a send without `then` stays outstanding. */
    private fun answer(transmit: Transmit, then: JSONObject?, at: String) {
        if (then == null) return
        if (then.has("transport")) {
            flow.handleTransportError(transmit.attempt, VectorTest.transportKind(then.getString("transport")), now, auth)
            return
        }
        val status = then.getInt("status")
        val headers = if (then.has("headers")) VectorTest.headerList(then.getJSONArray("headers")) else emptyList()
        flow.handleResponse(transmit.attempt, status, headers, Vectors.bytes(then.getJSONObject("body")), now, auth)
        // An uploaded document is no longer the host's to give again.
        if (transmit.operation == Operation.UPLOAD_DOCUMENT && status in 200..299) {
            val path = transmit.request.path()
            documents.removeAll { path.endsWith("/${it.first.wireValue()}/file/") }
        }
    }

    private fun checkWait(wait: Wait, expected: JSONObject, at: String) {
        assertEquals(expected.getString("reason"), wait.reason.wireValue(), "$at: $wait")
        assertEquals(Vectors.nullableString(expected, "retry_reason"), wait.retryReason?.wireValue(), at)
        val delay = (wait.untilMs - now).toLong()
        val min = expected.getLong("min_ms")
        val max = expected.getLong("max_ms")
        assertTrue(delay in min..max, "$at: waits $delay ms, not $min..$max")
    }

    private fun provide(document: JSONObject, error: String?, at: String) {
        val type = documentTypeFromWire(document.getString("document_type"))
        val contentType = document.getString("content_type")
        val data = Vectors.bytes(document.getJSONObject("bytes"))
        if (error != null) {
            val e = assertThrows<JikoException> { flow.provideDocument(type, contentType, data) }
            assertEquals(error, e.code, at)
        } else {
            flow.provideDocument(type, contentType, data)
            documents += Triple(type, contentType, data)
        }
    }

    private fun checkDone(outcome: Outcome, expected: JSONObject, at: String) {
        when (val state = expected.getString("state")) {
            "approved" -> {
                assertTrue(outcome is Outcome.Approved, "$at: expected approved, got $outcome")
                val customer = (outcome as Outcome.Approved).customer
                assertTrue(customerJson(customer).similar(expected.getJSONObject("customer")), "$at: ${customerJson(customer)}")
            }
            "rejected" -> assertEquals(Outcome.Rejected, outcome, at)
            "failed" -> {
                assertTrue(outcome is Outcome.Failed, "$at: expected failed, got $outcome")
                val error = (outcome as Outcome.Failed).error
                assertEquals(expected.getString("code"), error.code, "$at: ${error.detail}")
                if (expected.has("status")) {
                    assertTrue(error is JikoException.ApiException, "$at: $error")
                    assertEquals(expected.getInt("status"), (error as JikoException.ApiException).status, at)
                }
                val key = (error as? JikoException.FlowException)?.idempotencyKey
                if (expected.has("idempotency_key")) {
                    val createKey = lastSent.getValue("create_application").idempotencyKey()
                    assertEquals(createKey, key, at)
                    assertTrue(error.detail.contains(key!!), "$at: ${error.detail}")
                } else {
                    assertNull(key, at)
                }
            }
            else -> fail("$at: state $state")
        }
    }

    companion object {
        /** Exceptions compare by identity in Kotlin: a failed outcome compares by its texts. */
        fun comparable(step: Step): Any {
            val outcome = (step as? Step.Done)?.outcome
            return if (outcome is Outcome.Failed) listOf(outcome.error.code, outcome.error.detail, outcome.error.toString()) else step
        }

        /** The `ApprovedCustomer` wire form of README.md, from the Kotlin record. */
        fun customerJson(customer: ApprovedCustomer): JSONObject = JSONObject()
            .put("customer_id", customer.customerId)
            .put("accounts", JSONArray(customer.accounts.map { account ->
                JSONObject().put("account_id", account.accountId).put("portals", JSONArray(account.portals.map { p ->
                    JSONObject().put("portal_id", p.portalId).put("routing_number", p.routingNumber)
                        .put("account_number", p.accountNumber).put("status", p.status.wireValue())
                }))
            }))
    }
}
