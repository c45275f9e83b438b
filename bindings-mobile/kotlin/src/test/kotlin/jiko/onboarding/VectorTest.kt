package jiko.onboarding

import jiko.onboarding.core.*

import org.json.JSONArray
import org.json.JSONObject
import org.junit.jupiter.api.AfterAll
import org.junit.jupiter.api.Assertions.assertArrayEquals
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertNotNull
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.DynamicContainer
import org.junit.jupiter.api.DynamicNode
import org.junit.jupiter.api.DynamicTest
import org.junit.jupiter.api.TestFactory
import org.junit.jupiter.api.TestInstance
import org.junit.jupiter.api.assertThrows
import org.junit.jupiter.api.fail
import java.util.concurrent.atomic.AtomicInteger

/**
 * Every case of every file in tests/vectors, each exactly once, through the generated
 * Kotlin and the native library. The class fails afterwards if fewer cases passed than
 * the files hold, or than `python3 tests/vectors/count.py` printed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class VectorTest {
    private val passed = AtomicInteger()
    private var total = 0

    private val runners: Map<String, (JSONObject) -> Unit> = mapOf(
        "signing.json" to ::signing,
        "validation.json" to ::validation,
        "onboarding.json" to ::onboarding,
        "sandbox.json" to ::sandbox,
        "responses.json" to ::responses,
        "requests.json" to ::requests,
        "uploads.json" to ::uploads,
        "retry.json" to ::retry,
        "poll.json" to ::poll,
        "webhooks.json" to ::webhooks,
        "flows.json" to { c -> FlowHarness(c).run() },
    )

    @TestFactory
    fun vectors(): List<DynamicNode> {
        val files = Vectors.files()
        assertTrue(files.isNotEmpty(), "no vector files in ${Vectors.dir.absolutePath}")
        return files.map { file ->
            val cases = Vectors.cases(file.name)
            total += cases.size
            val names = cases.map { it.getString("name") }
            val runner = runners[file.name]
            val tests = cases.map { case ->
                DynamicTest.dynamicTest("${file.name}: ${case.getString("name")}") {
                    assertNotNull(runner, "no runner for ${file.name}: every vector file must be run")
                    assertEquals(1, names.count { it == case.getString("name") }, "case names must be unique")
                    runner!!(case)
                    passed.incrementAndGet()
                }
            }
            DynamicContainer.dynamicContainer(file.name, tests)
        }
    }

    @AfterAll
    fun everyCaseRan() {
        println("shared vector cases passed: ${passed.get()} of $total in the files (count.py: ${Vectors.expectedTotal})")
        assertTrue(total > 0, "no vector cases found")
        assertEquals(total, passed.get(), "vector cases passed vs cases in the files")
        if (Vectors.expectedTotal >= 0) {
            assertEquals(Vectors.expectedTotal, passed.get(), "vector cases passed vs tests/vectors/count.py")
        }
    }

    // signing.json: sign, verify, and refuse one more body byte.
    private fun signing(c: JSONObject) {
        val body = Vectors.bytes(c.getJSONObject("body"))
        val key = c.getString("idempotency_key")
        val path = c.getString("path")
        Signer(c.getString("secret")).use { signer ->
            val signature = signer.sign(key, path, body)
            assertEquals(c.getString("signature"), signature)
            assertTrue(signer.verify(key, path, body, signature))
            assertFalse(signer.verify(key, path, body + 'x'.code.toByte(), signature))
            val secret = c.getString("secret")
            if (secret.length > 3) assertFalse(signer.toString().contains(secret), "Signer.toString shows the secret")
        }
    }

    // validation.json: the JSON entry point, and the typed record where it can hold the body.
    private fun validation(c: JSONObject) {
        val today = c.getString("today")
        val application = c.get("application")
        val json = JSONObject.valueToString(application)
        val expected = multiset(Vectors.pairs(c.getJSONArray("errors")))
        val errors = validateApplicationJson(json, today)
        assertEquals(expected, multiset(Vectors.pairs(errors)))
        val values = Vectors.strings(application).filter { it.length > 3 }
        for (e in errors) {
            assertTrue(e.message.isNotEmpty(), "empty message for ${e.path}")
            for (v in values) assertFalse(e.message.contains(v), "message of ${e.path} contains a value")
        }
        val typed = try {
            createApplicationRequestFromJson(json)
        } catch (e: JikoException) {
            assertEquals("invalid_json", e.code)
            null
        }
        if (typed != null && expected.keys.none { it.second == "unknown_field" }) {
            assertEquals(expected, multiset(Vectors.pairs(validateApplication(typed, today))), "typed record")
        }
        if (expected.isNotEmpty()) {
            // The same problems as an exception from the request builder.
            Client(ClientConfig.BaseUrl("http://127.0.0.1:8080"), "vector-secret").use { client ->
                val e = assertThrows<JikoException.ValidationException> {
                    client.createApplicationJson("token", json, today, IDEMPOTENCY_KEY)
                }
                assertEquals("validation_failed", e.code)
                assertEquals(expected, multiset(Vectors.pairs(e.errors)))
                for (t in e.texts()) for (v in values) assertFalse(t.contains(v), "exception text contains a value")
            }
        }
    }

    // onboarding.json: required documents in order, and the tagged next action.
    private fun onboarding(c: JSONObject) {
        val application = parseApplication(200, c.getJSONObject("application").toString().toByteArray())
        val expectedDocs = c.getJSONArray("required_documents")
        val docs = requiredDocuments(application)
        assertEquals(requirementsJson(expectedDocs), requirementsJson(docs), "required documents")
        val expected = c.getJSONObject("next_action")
        val action = nextAction(application)
        assertEquals(expected.getString("kind"), action.kind())
        assertTrue(tagged(action).similar(expected), "next action ${tagged(action)} != $expected")
        assertTrue(JSONObject(nextActionToJson(action)).similar(expected), "nextActionToJson")
    }

    // sandbox.json: the documented outcome of an SSN.
    private fun sandbox(c: JSONObject) {
        val s = sandboxScenario(c.getString("ssn"))
        val e = c.getJSONObject("scenario")
        assertEquals(e.getString("status_after_apply"), s.statusAfterApply.wireValue())
        assertEquals(e.getBoolean("id_verification_documents_needed"), s.idVerificationDocumentsNeeded)
        assertEquals(e.getBoolean("identification_number_document_needed"), s.identificationNumberDocumentNeeded)
        assertEquals(e.getBoolean("address_verification_document_needed"), s.addressVerificationDocumentNeeded)
        assertEquals(Vectors.nullableString(e, "status_after_documents"), s.statusAfterDocuments?.wireValue())
    }

    // responses.json: parsed models re-encoded through the core, or typed API errors.
    private fun responses(c: JSONObject) {
        val status = c.getInt("status")
        val body = Vectors.bytes(c.getJSONObject("body"))
        val retryAfter = if (c.has("retry_after") && !c.isNull("retry_after")) c.get("retry_after").toString() else null
        val expect = c.getJSONObject("expect")
        val parse: () -> JSONObject = when (val parser = c.getString("parser")) {
            "application" -> { -> JSONObject(applicationToJson(parseApplication(status, body, retryAfter))) }
            "agreements" -> { -> JSONObject(agreementsToJson(parseAgreements(status, body, retryAfter))) }
            "upload" -> { -> JSONObject(uploadedDocumentToJson(parseUpload(status, body, retryAfter))) }
            "login" -> { ->
                parseLogin(status, body, retryAfter).use { s ->
                    assertFalse(s.toString().contains(s.token()), "Session.toString shows the token")
                    JSONObject()
                        .put("token", s.token())
                        .put("expires", s.expires())
                        .put("expires_at_unix_seconds", s.expiresAtUnixSeconds())
                }
            }
            else -> fail("unknown parser $parser")
        }
        if (expect.has("ok")) {
            val got = parse()
            assertTrue(got.similar(expect.getJSONObject("ok")), "$got != ${expect.getJSONObject("ok")}")
            return
        }
        val err = expect.getJSONObject("error")
        val e = assertThrows<JikoException.ApiException> { parse() }
        assertEquals(err.getString("code"), e.code)
        assertEquals(err.getString("kind"), e.kind.wireValue())
        assertEquals(err.getInt("status"), e.status)
        assertEquals(Vectors.pairs(err.getJSONArray("errors")), Vectors.pairs(e.errors), "field errors in order")
        val retry = if (err.isNull("retry_after_seconds")) null else err.getLong("retry_after_seconds")
        assertEquals(retry, e.retryAfterSeconds)
        // Nothing of the body that the vector does not expect to see may appear.
        val bodyText = String(body, Charsets.UTF_8)
        val allowed = Vectors.pairs(err.getJSONArray("errors"))
            .flatMap { (path, code) -> path.split('.') + code }.toSet() + "body"
        val leaks = mutableListOf<String>()
        if (bodyText.trim().length > 3) leaks += bodyText
        try {
            // Upper-case tokens (DOCUMENTS_NEEDED, INVALID) are schema vocabulary, not data.
            leaks += Vectors.strings(Vectors.parse(bodyText))
                .filter { it.length > 3 && it !in allowed && !it.matches(Regex("[A-Z0-9_-]+")) }
        } catch (_: Exception) {
            // not JSON: the whole text is checked above
        }
        for (t in e.texts()) for (l in leaks) assertFalse(t.contains(l), "error text contains body text [$l] in [$t]")
    }

    // requests.json: prepared requests, byte for byte, or the error code.
    private fun requests(c: JSONObject) {
        val spec = c.getJSONObject("client")
        val secret = c.getString("secret")
        val expect = c.getJSONObject("expect")
        val newClient = {
            val config = if (spec.has("base_url")) {
                ClientConfig.BaseUrl(spec.getString("base_url"))
            } else {
                ClientConfig.Hosted(parseEnvironment(spec.getString("environment")), spec.getString("partner"))
            }
            Client(config, secret)
        }
        val operation = c.getString("operation")
        if (operation == "client") {
            val e = assertThrows<JikoException> { newClient().close() }
            assertEquals(expect.getJSONObject("error").getString("code"), e.code)
            if (secret.length > 3) for (t in e.texts()) assertFalse(t.contains(secret))
            return
        }
        val args = c.getJSONObject("args")
        val key = Vectors.nullableString(c, "idempotency_key")
        val today = Vectors.nullableString(c, "today")
        newClient().use { client ->
            assertFalse(client.toString().contains(secret), "Client.toString shows the secret")
            val applicationJson = if (args.has("application")) JSONObject.valueToString(args.get("application")) else null
            val build: () -> PreparedRequest = when (operation) {
                "login" -> { -> client.login(args.getString("username"), args.getString("password")) }
                "list_agreements" -> { -> client.listAgreements(args.getString("token"), key) }
                "create_application" -> { ->
                    client.createApplicationJson(args.getString("token"), applicationJson!!, today, key)
                }
                "get_application" -> { -> client.getApplication(args.getString("token"), args.getString("application_id"), key) }
                "apply" -> { -> client.apply(args.getString("token"), args.getString("application_id"), key) }
                "upload_document" -> { ->
                    client.uploadDocument(
                        args.getString("token"),
                        args.getString("application_id"),
                        documentTypeFromWire(args.getString("document_type")),
                        args.getString("content_type"),
                        Vectors.bytes(args.getJSONObject("body")),
                        key,
                    )
                }
                else -> fail("unknown operation $operation")
            }
            // The typed record gives the same result wherever it can hold the body.
            val typed = applicationJson?.let {
                try { createApplicationRequestFromJson(it) } catch (_: JikoException) { null }
            }
            // Unknown fields cannot be held by the record (decoding drops them).
            val unknownField = expect.optJSONObject("error")?.optJSONArray("errors")
                ?.let { errs -> Vectors.pairs(errs).any { it.second == "unknown_field" } } ?: false
            val typedBuild: (() -> PreparedRequest)? =
                if (typed != null && !unknownField) {
                    { client.createApplication(args.getString("token"), typed, today, key) }
                } else {
                    null
                }
            if (expect.has("error")) {
                val err = expect.getJSONObject("error")
                val e = assertThrows<JikoException> { build() }
                assertEquals(err.getString("code"), e.code)
                if (err.has("errors")) {
                    assertEquals(multiset(Vectors.pairs(err.getJSONArray("errors"))), multiset(Vectors.pairs(e.fieldErrors)))
                }
                val secrets = listOf("token", "password", "application_id").filter { args.has(it) }
                    .map { args.getString(it) } + Vectors.strings(args.opt("application"))
                for (t in e.texts()) for (s in secrets.filter { it.length > 3 }) assertFalse(t.contains(s), "error text leaks an argument")
                if (typedBuild != null) {
                    val te = assertThrows<JikoException> { typedBuild() }
                    assertEquals(e.code, te.code, "typed record")
                    assertEquals(multiset(Vectors.pairs(e.fieldErrors)), multiset(Vectors.pairs(te.fieldErrors)), "typed record")
                }
                return
            }
            build().use { request ->
                assertPrepared(expect, request)
                if (key == null) assertNull(request.idempotencyKey())
                request.header("x-jiko-signature")?.let { signature ->
                    Signer(secret).use { assertTrue(it.verify(key!!, request.path(), request.body(), signature)) }
                }
                assertFalse(request.toString().contains(secret))
                args.optString("token").takeIf { it.length > 3 }?.let { assertFalse(request.toString().contains(it)) }
            }
            typedBuild?.invoke()?.use { assertPrepared(expect, it) }
        }
    }

    private fun assertPrepared(expect: JSONObject, request: PreparedRequest) {
        assertEquals(expect.getString("method"), request.method())
        assertEquals(expect.getString("url"), request.url())
        assertEquals(expect.getString("path"), request.path())
        val headers = expect.getJSONArray("headers")
        val expectedHeaders = (0 until headers.length()).map {
            val h = headers.getJSONArray(it)
            h.getString(0) to h.getString(1)
        }
        assertEquals(expectedHeaders, request.headers().map { it.name to it.value }, "headers in order")
        assertArrayEquals(Vectors.bytes(expect.getJSONObject("body")), request.body(), "body bytes")
        assertEquals(Vectors.nullableString(expect, "idempotency_key"), request.idempotencyKey())
    }

    // uploads.json: the upload check, and the same outcome through the request builder.
    private fun uploads(c: JSONObject) {
        val type = documentTypeFromWire(c.getString("document_type"))
        val contentType = c.getString("content_type")
        val bytes = Vectors.bytes(c.getJSONObject("bytes"))
        val expect = c.getString("expect")
        Client(ClientConfig.BaseUrl("http://127.0.0.1:8080"), "vector-secret").use { client ->
            val upload = { client.uploadDocument("token", APPLICATION_ID, type, contentType, bytes, IDEMPOTENCY_KEY) }
            if (expect == "ok") {
                checkUpload(type, contentType, bytes)
                upload().use { request ->
                    assertEquals(bytes.size.toString(), request.header("content-length"))
                    assertTrue(bytes.contentEquals(request.body()), "upload body")
                    assertNull(request.header("x-jiko-signature"), "uploads are not signed")
                }
            } else {
                val e = assertThrows<JikoException.DocumentException> { checkUpload(type, contentType, bytes) }
                assertEquals(expect, e.code)
                assertEquals(expect, e.reason.name.lowercase())
                val viaClient = assertThrows<JikoException.DocumentException> { upload().close() }
                assertEquals(expect, viaClient.code)
            }
        }
    }

    // retry.json: the retry decision, or the Retry-After header's delay.
    private fun retry(c: JSONObject) {
        if (c.has("header")) {
            val ms = retryAfterMs(c.getString("header"), c.getLong("now_ms").toULong())
            val expected = if (c.isNull("expect_ms")) null else c.getLong("expect_ms").toULong()
            assertEquals(expected, ms)
            return
        }
        val i = c.getJSONObject("input")
        val o = i.getJSONObject("observed")
        val observed = when {
            o.has("transport") -> Observed.Transport(transportKind(o.getString("transport")))
            o.has("unreadable") -> Observed.Unreadable
            else -> Observed.Status(
                o.getInt("status").toUShort(),
                if (o.has("retry_after_ms")) o.getLong("retry_after_ms").toULong() else null,
            )
        }
        val input = RetryInput(
            observed,
            RequestKind.valueOf(i.getString("kind").uppercase()),
            i.getInt("retries").toUInt(),
            i.getLong("key_age_ms").toULong(),
            i.getBoolean("relogged_in"),
            i.getBoolean("ambiguous_before"),
            i.getDouble("random"),
        )
        val policy = if (c.has("policy")) retryPolicyFromJson(c.getJSONObject("policy").toString()) else RetryPolicy.default()
        val got = when (val d = retryDecision(policy, input)) {
            RetryDecision.Success -> JSONObject().put("decision", "success")
            is RetryDecision.Retry -> JSONObject().put("decision", "retry").put("delay_ms", d.delayMs.toLong())
                .put("reason", d.reason.wireValue()).put("same_key", d.sameKey)
            is RetryDecision.Postpone -> JSONObject().put("decision", "postpone").put("delay_ms", d.delayMs.toLong())
                .put("reason", d.reason.wireValue())
            RetryDecision.Relogin -> JSONObject().put("decision", "relogin")
            RetryDecision.ReadState -> JSONObject().put("decision", "read_state")
            is RetryDecision.GiveUp -> JSONObject().put("decision", "give_up").put("reason", d.reason.wireValue())
            RetryDecision.OutcomeUnknown -> JSONObject().put("decision", "outcome_unknown")
            RetryDecision.Fail -> JSONObject().put("decision", "fail")
        }
        assertTrue(got.similar(c.getJSONObject("expect")), "$got != ${c.getJSONObject("expect")}")
    }

    // poll.json: the jittered poll schedule.
    private fun poll(c: JSONObject) {
        val i = c.getJSONObject("input")
        val input = PollInput(
            PollReason.valueOf(i.getString("reason").uppercase()),
            i.getLong("waited_ms").toULong(),
            i.getInt("reads").toUInt(),
            i.getBoolean("webhooks"),
            i.getDouble("random"),
        )
        val policy = if (c.has("policy")) pollPolicyFromJson(c.getJSONObject("policy").toString()) else PollPolicy.default()
        assertEquals(c.getLong("expect_delay_ms").toULong(), pollDelayMs(policy, input))
    }

    // webhooks.json: verify_webhook over the raw bytes.
    private fun webhooks(c: JSONObject) {
        val headers = headerList(c.getJSONArray("headers"))
        val secrets = c.getJSONArray("secrets").let { a -> (0 until a.length()).map { a.getString(it) } }
        val body = Vectors.bytes(c.getJSONObject("body"))
        val expect = c.getJSONObject("expect")
        if (expect.has("ok")) {
            val event = verifyWebhook(headers, body, secrets)
            val got = JSONObject().put("event_id", event.eventId).put("event_type", event.eventType.wireValue())
                .put("timestamp", event.timestamp).put("application_id", event.applicationId ?: JSONObject.NULL)
            assertTrue(got.similar(expect.getJSONObject("ok")), "$got != ${expect.getJSONObject("ok")}")
        } else {
            val e = assertThrows<JikoException.WebhookException> { verifyWebhook(headers, body, secrets) }
            assertEquals(expect.getString("error"), e.code)
            assertEquals(expect.getString("error"), e.reason.wireValue())
            for (secret in secrets.filter { it.length > 3 }) for (t in e.texts()) assertFalse(t.contains(secret))
        }
    }

    companion object {
        fun transportKind(name: String): TransportErrorKind = TransportErrorKind.valueOf(name.uppercase())

        fun headerList(array: JSONArray): List<HttpHeader> = (0 until array.length()).map {
            val h = array.getJSONArray(it)
            HttpHeader(h.getString(0), h.getString(1))
        }

        const val IDEMPOTENCY_KEY = "123e4567-e89b-42d3-a456-426614174000"
        const val APPLICATION_ID = "0b7b1c9e-3c1a-4f0e-9a57-2f4f1d6d2a10"

        fun requirementsJson(expected: JSONArray): List<Pair<String, List<String>>> =
            (0 until expected.length()).map {
                val r = expected.getJSONObject(it)
                val oneOf = r.getJSONArray("one_of")
                r.getString("flag") to (0 until oneOf.length()).map { i -> oneOf.getString(i) }
            }

        fun requirementsJson(actual: List<DocumentRequirement>): List<Pair<String, List<String>>> =
            actual.map { it.flag.wireValue() to it.oneOf.map { t -> t.wireValue() } }

        /** The tagged form of README.md, built from the Kotlin types (not from the core's JSON). */
        fun tagged(action: NextAction): JSONObject = when (action) {
            NextAction.Apply -> JSONObject().put("kind", "apply")
            NextAction.Rejected -> JSONObject().put("kind", "rejected")
            is NextAction.UploadDocuments -> JSONObject()
                .put("kind", "upload_documents")
                .put(
                    "requirements",
                    JSONArray(
                        action.requirements.map {
                            JSONObject().put("flag", it.flag.wireValue()).put("one_of", JSONArray(it.oneOf.map { t -> t.wireValue() }))
                        },
                    ),
                )
            is NextAction.Wait -> JSONObject().put("kind", "wait").put("reason", action.reason.name.lowercase())
            is NextAction.Approved -> JSONObject().put("kind", "approved").also { o ->
                action.customerId?.let { o.put("customer_id", it) }
            }
            is NextAction.Unknown -> JSONObject().put("kind", "unknown").put("status", action.status)
        }
    }
}
