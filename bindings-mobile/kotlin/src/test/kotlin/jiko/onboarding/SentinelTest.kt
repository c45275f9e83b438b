package jiko.onboarding

import jiko.onboarding.core.*

import org.json.JSONObject
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.fail
import kotlinx.coroutines.ExperimentalCoroutinesApi
import kotlinx.coroutines.test.runTest

/**
 * Sentinel tests (issue 8, items 3 and 4): an applicant made of recognisable sentinel
 * values, as a typed record and as JSON text, is pushed through every error path of the
 * binding; the shared secret, the password and the token go through every object that
 * holds them. No `toString()` of a record, object or exception, and no `message`,
 * `detail`, field-error message or `stackTraceToString()` of an exception, may contain a
 * sentinel.
 *
 * Where a sentinel legitimately appears, and is not checked: what the caller reads
 * explicitly from a PreparedRequest (`body()`, the `Authorization` value of `headers()` /
 * `header()`), `Session.token()`, the record fields themselves (`application.email`,
 * `componentN()`), and the JSON functions whose job is to serialize the record
 * (`createApplicationRequestToJson`, `applicationToJson`). `Unknown(value)` of an open
 * enum prints the server's value by design; no sentinel is put there.
 */
class SentinelTest {
    // Each value is valid for its field, and unlikely to occur by chance in any text.
    private val ssn = "487659213"
    private val first = "Qzsentinelfirst"
    private val middle = "Qzsentinelmiddle"
    private val last = "Qzsentinellast"
    private val dob = "1961-07-23"
    private val email = "qz.sentinel.mail@example.org"
    private val phone = "15550193847"
    private val street = "7391 Qzsentinel Street"
    private val city = "Qzsentinelcity"
    private val postal = "93117"
    private val occupation = "Qzsentineloccupation"
    private val secret = "Qz-signing-secret-5f2c9e"
    private val password = "Qz-password-81d7a3"
    private val token = "Qztoken9b3e7c51a0"
    private val username = "qzsentineluser"

    private val personal = listOf(ssn, first, middle, last, dob, email, phone, street, "Qzsentinel", city, postal, occupation, username)
    private val secrets = listOf(secret, password, token, "Qz-signing", "Qz-password", "Qztoken")
    private val sentinels = personal + secrets

    private var checkedTexts = 0

    private fun check(where: String, text: String?) {
        if (text == null) return
        checkedTexts++
        for (s in sentinels) {
            if (text.contains(s)) fail("$where contains the sentinel '$s': $text")
        }
    }

    private fun checkException(where: String, e: Throwable) {
        check("$where: toString()", e.toString())
        check("$where: message", e.message)
        check("$where: localizedMessage", e.localizedMessage)
        check("$where: stackTraceToString()", e.stackTraceToString())
        if (e is JikoException) {
            check("$where: detail", e.detail)
            check("$where: code", e.code)
            for (fe in e.fieldErrors) {
                check("$where: field error", fe.toString())
                check("$where: field error message", fe.message)
                check("$where: field error path", fe.path)
            }
        }
    }

    /** Runs [block]; a JikoException it throws is checked; returns whether one was thrown. */
    private fun expectError(where: String, block: () -> Any?): Boolean {
        try {
            val result = block()
            if (result != null) check("$where: result", result.toString())
            if (result is AutoCloseable) result.close()
            return false
        } catch (e: JikoException) {
            checkException(where, e)
            return true
        }
    }

    private fun record() = CreateApplicationRequest(
        identificationNumber = ssn,
        name = Name(firstName = first, middleName = middle, lastName = last),
        email = email,
        phoneNumber = phone,
        dateOfBirth = dob,
        investmentProfile = InvestmentProfile(EmploymentStatus.Employed, AnnualIncome.Between100kAnd250k, NetWorth.Between1mAnd5m, occupation),
        agreementConsent = AgreementConsent("1", "2023-01-01T12:00:00+00:00"),
        address = Address(streetAddress = street, city = city, postalCode = postal, state = "CA", country = "US"),
    )

    /** Invalid variants: each keeps sentinels in the fields that are wrong. */
    private fun invalidRecords(): List<Pair<String, CreateApplicationRequest>> {
        val r = record()
        return listOf(
            "ssn with dashes" to r.copy(identificationNumber = "487-65-9213"),
            "ssn too long" to r.copy(identificationNumber = ssn + ssn),
            "email without domain" to r.copy(email = "qz.sentinel.mail@"),
            "email with spaces" to r.copy(email = "$first $last@example.org"),
            "phone with letters" to r.copy(phoneNumber = phone + "Qz"),
            "under age" to r.copy(dateOfBirth = "2019-07-23"),
            "dob not a date" to r.copy(dateOfBirth = "1961-13-45"),
            "dob in the future" to r.copy(dateOfBirth = "2961-07-23"),
            "postal code" to r.copy(address = r.address.copy(postalCode = "$postal-Qz")),
            "street too long" to r.copy(address = r.address.copy(streetAddress = street.repeat(40))),
            "empty names" to r.copy(name = Name(firstName = "", middleName = middle, lastName = " ")),
            "unknown income" to r.copy(investmentProfile = r.investmentProfile.copy(income = AnnualIncome.Unknown("LOTS"))),
            "everything wrong" to r.copy(
                identificationNumber = "Qz$ssn", email = "Qz", phoneNumber = "+$phone$phone", dateOfBirth = "23/07/1961",
                address = r.address.copy(country = "Qzsentinelland", state = "Qzsentinelstate"),
            ),
        )
    }

    private fun jsonBodies(): List<Pair<String, String>> {
        val valid = createApplicationRequestToJson(record())
        assertTrue(valid.contains(ssn) && valid.contains(email), "the body carries the data: that is its job")
        fun edit(f: (JSONObject) -> Unit): String = JSONObject(valid).also(f).toString()
        return listOf(
            "truncated" to valid.substring(0, valid.length / 2),
            "truncated in the ssn" to valid.substring(0, valid.indexOf(ssn) + 4),
            "not json" to "<html>$ssn $email</html>",
            "ssn as a number" to edit { it.put("identification_number", ssn.toLong()) },
            "email as an array" to edit { it.put("email", org.json.JSONArray(listOf(email, phone))) },
            "name as a string" to edit { it.put("name", "$first $last") },
            "dob nested" to edit { it.put("date_of_birth", JSONObject(mapOf("date_of_birth" to dob))) },
            "employment enum" to edit { it.getJSONObject("investment_profile").put("employment_status", occupation) },
            "income enum" to edit { it.getJSONObject("investment_profile").put("income", ssn) },
            "address missing" to edit { it.remove("address") },
            "street as an object" to edit { it.getJSONObject("address").put("street_address", JSONObject(mapOf("v" to street))) },
            "unknown field" to edit { it.put("notes", "$first $last $ssn") },
            "phone bad" to edit { it.put("phone_number", "$phone Qz") },
            "duplicate key" to valid.replaceFirst("{", "{\"email\":\"$email\",\"email\":\"$email\","),
            "consent as text" to edit { it.put("agreement_consent", "$ssn") },
        )
    }

    @Test
    fun personalDataNeverAppearsInTextsOfRecordsOrErrors() {
        val today = "2026-11-27"
        val r = record()
        assertEquals(emptyList<FieldError>(), validateApplication(r, today), "the sentinel applicant itself is valid")
        for (text in listOf(r.toString(), r.name.toString(), r.address.toString(), r.investmentProfile.toString(), r.agreementConsent.toString())) {
            check("record toString()", text)
        }
        var errorsSeen = 0
        Client(ClientConfig.BaseUrl("http://127.0.0.1:8080"), secret).use { client ->
            // The typed record: validation results, and the exception createApplication throws.
            for ((name, bad) in invalidRecords()) {
                val errors = validateApplication(bad, today)
                assertTrue(errors.isNotEmpty(), "$name should be invalid")
                for (fe in errors) { check("validateApplication($name)", fe.toString()); check("validateApplication($name)", fe.message) }
                check("record toString() ($name)", bad.toString())
                assertTrue(expectError("createApplication($name)") { client.createApplication(token, bad, today) }, name)
                errorsSeen++
                // Through its JSON (the function's job is to carry the data), validated as text.
                val json = createApplicationRequestToJson(bad)
                for (fe in validateApplicationJson(json, today)) check("validateApplicationJson($name)", fe.toString())
                assertTrue(expectError("createApplicationJson($name)") { client.createApplicationJson(token, json, today) }, name)
            }
            // JSON text: malformed, wrong types, unknown fields, bad enums.
            for ((name, json) in jsonBodies()) {
                for (fe in validateApplicationJson(json, today)) check("validateApplicationJson($name)", fe.toString())
                expectError("createApplicationJson($name)") { client.createApplicationJson(token, json, today) }
                if (expectError("createApplicationRequestFromJson($name)") { createApplicationRequestFromJson(json) }) errorsSeen++
            }
            // Arguments around the body: a date, a key, an id, a token carrying sentinels.
            for ((name, call) in listOf<Pair<String, () -> Any?>>(
                "bad today" to { client.createApplication(token, r, dob.replace("-", "/")) },
                "bad key" to { client.createApplication(token, r, today, ssn) },
                "bad application id" to { client.getApplication(token, "$ssn/$email") },
                "bad token" to { client.getApplication("$token $ssn", "0b7b1c9e-3c1a-4f0e-9a57-2f4f1d6d2a10") },
                "token with newline" to { client.apply("$token\r\n$password", "0b7b1c9e-3c1a-4f0e-9a57-2f4f1d6d2a10") },
                "bad document type" to { client.uploadDocument(token, "0b7b1c9e-3c1a-4f0e-9a57-2f4f1d6d2a10", DocumentType.Unknown("Qz"), "image/png", ssn.toByteArray()) },
                "empty upload" to { client.uploadDocument(token, "0b7b1c9e-3c1a-4f0e-9a57-2f4f1d6d2a10", DocumentType.IdFront, "image/png", ByteArray(0)) },
                "wrong type upload" to { checkUpload(DocumentType.Selfie, "image/png", "$first $ssn".toByteArray()) },
                "jpeg that is not" to { checkUpload(DocumentType.Selfie, "image/jpeg", "$first $ssn".toByteArray()) },
                "pdf that is not" to { checkUpload(DocumentType.AddressVerification, "application/pdf", "$street $city".toByteArray()) },
                "login without password" to { client.login(username, "") },
                "login without username" to { client.login("", password) },
                "bad environment" to { parseEnvironment(city) },
                "bad partner" to { Client(ClientConfig.Hosted(Environment.SANDBOX, "Qz $ssn"), secret) },
                "bad base url" to { Client(ClientConfig.BaseUrl("ftp://$email/$ssn"), secret) },
                "bad validation date" to { validateApplication(r, "$dob-$ssn") },
            )) {
                assertTrue(expectError(name, call), "$name should fail")
                errorsSeen++
            }
        }
        // Server answers that echo personal data: every parser, error statuses and bodies.
        val echo = """{"detail": [{"loc": ["body", "email"], "msg": "value $email is not valid for $first $last", "type": "value_error", "input": "$ssn"},
            {"loc": ["body", "date_of_birth"], "msg": "$dob", "type": "$street", "ctx": {"value": "$phone"}}]}"""
        val html = "<html><body>Error for $first $last, SSN $ssn, $street</body></html>"
        val wrongTypes = """{"id": "$ssn", "status": 7, "email": ["$email"], "name": "$first $last", "date_of_birth": {"date_of_birth": "$dob"}}"""
        val bodies = listOf(echo, html, wrongTypes, """{"detail": "$first $ssn"}""", """{"token": 5, "expires": "$dob"}""", """{"success": "$ssn"}""")
        for (status in listOf(200, 201, 400, 401, 403, 404, 409, 422, 429, 500, 503)) {
            for (body in bodies) {
                val bytes = body.toByteArray()
                expectError("parseApplication($status)") { parseApplication(status, bytes, "120") }
                expectError("parseLogin($status)") { parseLogin(status, bytes, "Qz-not-a-number") }
                expectError("parseAgreements($status)") { parseAgreements(status, bytes) }
                expectError("parseUpload($status)") { parseUpload(status, bytes) }
                errorsSeen++
            }
        }
        // A valid application full of sentinels: the record prints redacted.
        val app = parseApplication(
            200,
            """{"id": "0b7b1c9e-3c1a-4f0e-9a57-2f4f1d6d2a10", "status": "DOCUMENTS_NEEDED", "customer_id": null,
               "name": {"first_name": "$first", "middle_name": "$middle", "last_name": "$last"}, "email": "$email",
               "phone_number": "$phone", "date_of_birth": {"date_of_birth": "$dob"}, "identification_number": "$ssn",
               "address": {"street_address": "$street", "city": "$city", "postal_code": "$postal", "state": "CA", "country": "US"},
               "investment_profile": {"employment_status": "EMPLOYED", "income": "BELOW_50K", "net_worth": "BELOW_50K", "occupation": "$occupation"},
               "id_verification_documents_needed": true, "address_verification_document_needed": true,
               "documents": [{"id": "d-1", "type": "ID_FRONT", "status": "PENDING_UPLOAD"}]}""".toByteArray(),
        )
        assertEquals(email, app.email, "the fields themselves carry the data")
        check("Application toString()", app.toString())
        app.name?.let { check("Application name toString()", it.toString()) }
        app.address?.let { check("Application address toString()", it.toString()) }
        for (d in app.documents) check("Document toString()", d.toString())
        for (req in requiredDocuments(app)) check("DocumentRequirement toString()", req.toString())
        check("NextAction toString()", nextAction(app).toString())
        check("nextActionToJson", nextActionToJson(nextAction(app)))
        check("SandboxScenario toString()", sandboxScenario(ssn).toString())
        println("sentinel test (personal data): $errorsSeen error paths, $checkedTexts texts checked")
        assertTrue(errorsSeen >= 100, "error paths exercised: $errorsSeen")
    }

    @Test
    fun secretPasswordAndTokenStayInsideObjects() {
        val appId = "0b7b1c9e-3c1a-4f0e-9a57-2f4f1d6d2a10"
        val png = byteArrayOf(0x89.toByte(), 'P'.code.toByte(), 'N'.code.toByte(), 'G'.code.toByte(), 13, 10, 26, 10, 0, 0)
        val requests = mutableListOf<PreparedRequest>()
        // A fixed key: a random UUID could hold the 5-digit postal code by chance.
        val key = "123e4567-e89b-42d3-a456-426614174000"
        Client(ClientConfig.Hosted(Environment.SANDBOX, "acme"), secret).use { client ->
            check("Client toString()", client.toString())
            check("Client baseUrl()", client.baseUrl())
            requests += client.login(username, password)
            requests += client.listAgreements(token, key)
            requests += client.createApplication(token, record(), "2026-11-27", key)
            requests += client.createApplicationJson(token, createApplicationRequestToJson(record()), "2026-11-27", key)
            requests += client.getApplication(token, appId, key)
            requests += client.apply(token, appId, key)
            requests += client.uploadDocument(token, appId, DocumentType.Selfie, "image/png", png, key)
            for (r in requests) {
                r.use {
                    check("PreparedRequest toString() ${it.path()}", it.toString())
                    check("PreparedRequest url()", it.url())
                    check("PreparedRequest path()", it.path())
                    for (h in it.headers()) {
                        check("HttpHeader toString() ${h.name}", h.toString())
                        if (!h.name.equals("Authorization", ignoreCase = true)) check("header value ${h.name}", h.value)
                    }
                }
            }
            // What the caller reads explicitly does carry them: documented, not a leak.
            client.login(username, password).use { assertTrue(String(it.body()).contains(password)) }
            client.getApplication(token, appId).use { assertEquals("Bearer $token", it.header("authorization")) }
            // Errors raised while a secret is in play.
            expectError("token with a space") { client.listAgreements("$token $password") }
            expectError("token with a newline") { client.listAgreements("$token\n$secret") }
            expectError("login without username") { client.login("", password) }
        }
        Signer(secret).use { signer ->
            check("Signer toString()", signer.toString())
            val signature = signer.sign(key, "/api/v1/agreements/", ByteArray(0))
            check("signature", signature)
            assertFalse(signer.verify(token, password, secret.toByteArray(), secret))
        }
        expectError("empty secret") { Signer("") }
        expectError("empty secret client") { Client(ClientConfig.BaseUrl("http://127.0.0.1:1"), "") }
        expectError("base url with a secret") { Client(ClientConfig.BaseUrl("http://user:$password@example.com/$secret"), secret) }
        parseLogin(200, """{"token": "$token", "expires": "2026-11-27T11:00:00+00:00"}""".toByteArray()).use { session ->
            check("Session toString()", session.toString())
            check("Session expires()", session.expires())
            assertEquals(token, session.token(), "read explicitly")
        }
        for (status in listOf(200, 401, 422, 500)) {
            for (body in listOf("""{"token": "$token"}""", """{"token": "$token", "expires": "$password"}""", """{"detail": "bad password $password for $username"}""", "$token $secret")) {
                expectError("parseLogin($status)") { parseLogin(status, body.toByteArray(), token) }
            }
        }
        println("sentinel test (secrets): ${requests.size} prepared requests, $checkedTexts texts checked")
    }

    // Issue 19 item 6 and issue 17: the driver's events (what a listener logs), snapshots,
    // results, the new models and the new errors, with sentinel personal data, sentinel
    // routing and account numbers, a sentinel webhook secret and sentinel credentials.
    @OptIn(ExperimentalCoroutinesApi::class)
    @Test
    fun driverEventsSnapshotsResultsAndNewModelsHoldNoPersonalData() = runTest {
        val routing = "739184562"
        val account = "0987612345"
        val webhookSecret = "Qz-webhook-secret-77e1"
        val numbers = listOf(routing, account, "Qz-webhook")
        fun checkAll(where: String, text: String?) {
            check(where, text)
            if (text != null) for (n in numbers) if (text.contains(n)) fail("$where contains the sentinel '$n': $text")
        }
        val jiko = FakeJiko(status = "DOCUMENTS_NEEDED", flags = Triple(false, false, true), routing = routing, account = account)
        val events = mutableListOf<OnboardingEvent>()
        val credentials = Credentials(username, password, secret)
        checkAll("Credentials toString()", credentials.toString())
        val onboarding = Onboarding(
            ClientConfig.BaseUrl("http://127.0.0.1:8080"), credentials, jiko,
            FlowConfig.default().copy(seed = 3uL), { events += it }, VirtualClock(testScheduler, 1_796_119_200_000L),
        )
        checkAll("Onboarding toString()", onboarding.toString())
        val applicant = record().copy(agreementConsent = AgreementConsent("1.0.0", "2023-01-01T12:00:00+00:00"))
        val flow = onboarding.start(applicant, java.time.LocalDate.parse("2026-11-27"))
        val snapshots = mutableListOf(flow.snapshot())
        val asked = flow.run()
        snapshots += flow.snapshot()
        assertEquals(FlowState.DOCUMENTS_NEEDED, asked.state)
        flow.provideDocument(DocumentType.AddressVerification, "application/pdf", "%PDF-1.4 $first $ssn".toByteArray())
        snapshots += flow.snapshot()
        jiko.then("apply") { jiko.status = "APPROVED"; jiko.application(200, "SUBMITTED") }
        val result = flow.run()
        snapshots += flow.snapshot()
        assertEquals(FlowState.APPROVED, result.state, "$result")
        assertEquals(routing, result.customer!!.accounts[0].portals[0].routingNumber, "the field itself carries the number")
        for ((i, snapshot) in snapshots.withIndex()) checkAll("snapshot $i", snapshot)
        for (event in events) checkAll("event", event.toString())
        for (r in listOf(asked, result)) {
            checkAll("FlowResult toString()", r.toString())
            checkAll("ApprovedCustomer toString()", r.customer?.toString())
            r.customer?.accounts?.forEach { a -> checkAll("ApprovedAccount toString()", a.toString()); a.portals.forEach { checkAll("PortalDetails toString()", it.toString()) } }
            checkAll("Application toString()", r.application?.toString())
        }
        checkAll("Flow toString()", flow.toString())
        assertTrue(events.size >= 10, "events: ${events.size}")
        // The after-approval models, parsed from bodies full of sentinels.
        val customer = parseCustomer(200, """{"type": "INDIVIDUAL", "account_status": "OPEN", "email": "$email",
            "name": {"first_name": "$first", "last_name": "$last"}, "phone_number": "$phone", "date_of_birth": "$dob",
            "address": {"street_address": "$street", "city": "$city", "postal_code": "$postal", "country": "USA"}}""".toByteArray())
        assertEquals(email, customer.email)
        checkAll("Customer toString()", customer.toString())
        checkAll("GeneralAddress toString()", customer.address.toString())
        val portals = parsePortals(200, """{"count": 1, "portals": [{"id": "${FakeJiko.PORTAL}", "jiko_account_id": "${FakeJiko.ACCOUNT}",
            "routing_number": "$routing", "account_number": "$account", "status": "OPEN", "name": "Default"}]}""".toByteArray())
        checkAll("Portals toString()", portals.toString())
        checkAll("Portal toString()", portals.portals[0].toString())
        // Errors of the new families.
        val body = """{"event_id": "e", "timestamp": "2026-01-01T00:00:00Z", "event_type": "application.approved", "payload": {"application_id": "$ssn"}}""".toByteArray()
        assertTrue(expectError("webhook signed with another secret") {
            verifyWebhook(listOf(HttpHeader("x-jiko-signature", webhookSignature(secret, body))), body, listOf(webhookSecret))
        }, "webhook signed with another secret must fail")
        assertTrue(expectError("webhook without signature") { verifyWebhook(emptyList(), body, listOf(webhookSecret)) }, "webhook without signature must fail")
        assertTrue(expectError("webhook not an event") {
            val text = "$first $ssn".toByteArray()
            verifyWebhook(listOf(HttpHeader("x-jiko-signature", webhookSignature(webhookSecret, text))), text, listOf(webhookSecret))
        }, "webhook not an event must fail")
        assertTrue(expectError("resume a garbled snapshot") { onboarding.resume("{\"version\": 1, \"$ssn\": \"$email\"}") }, "resume a garbled snapshot must fail")
        assertTrue(expectError("resume with another application") {
            onboarding.resume(Onboarding(ClientConfig.BaseUrl("http://127.0.0.1:8080"), credentials, jiko)
                .start(applicant, java.time.LocalDate.parse("2026-11-27")).snapshot(), applicant.copy(email = "qz.other.$email"))
        }, "resume with another application must fail")
        assertTrue(expectError("authenticator without password") { Authenticator(username, "") }, "authenticator without password must fail")
        assertTrue(expectError("provide an unknown document type") { flow.provideDocument(DocumentType.Unknown("X"), "image/png", ssn.toByteArray()) }, "provide an unknown document type must fail")
        assertTrue(expectError("subscription with a short secret") { onboarding.client.createSubscription(token, "http://127.0.0.1/$ssn", listOf(EventType.ApplicationApproved), first) }, "subscription with a short secret must fail")
        println("sentinel test (driver): ${events.size} events, ${snapshots.size} snapshots, $checkedTexts texts checked")
    }
}
