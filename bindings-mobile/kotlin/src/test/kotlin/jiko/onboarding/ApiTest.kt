package jiko.onboarding

import jiko.onboarding.core.*

import org.json.JSONObject
import org.junit.jupiter.api.Assertions.assertArrayEquals
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertNotEquals
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows
import java.time.LocalDate
import java.time.ZoneOffset
import kotlin.random.Random

/** Every export of the binding and every error code it can raise, beyond the vectors. */
class ApiTest {
    private val base = ClientConfig.BaseUrl("http://127.0.0.1:8080")
    private val key = "123e4567-e89b-42d3-a456-426614174000"
    private val appId = "0b7b1c9e-3c1a-4f0e-9a57-2f4f1d6d2a10"
    private val png = byteArrayOf(0x89.toByte(), 'P'.code.toByte(), 'N'.code.toByte(), 'G'.code.toByte(), 13, 10, 26, 10, 0, 0)

    private fun guideExample(ssn: String = "999999999", dateOfBirth: String = "1970-01-01") = CreateApplicationRequest(
        identificationNumber = ssn,
        name = Name(firstName = "Jiko", lastName = "Customer"),
        email = "jiko@example.com",
        phoneNumber = "15551234567",
        dateOfBirth = dateOfBirth,
        investmentProfile = InvestmentProfile(
            employmentStatus = EmploymentStatus.Employed,
            income = AnnualIncome.Between100kAnd250k,
            netWorth = NetWorth.Between1mAnd5m,
            occupation = "Investor",
        ),
        agreementConsent = AgreementConsent(version = "1", timestamp = "2023-01-01T12:00:00+00:00"),
        address = Address(
            streetAddress = "2000 Allston Way",
            city = "Berkeley",
            postalCode = "94701",
            state = "CA",
            country = "USA",
        ),
    )

    private val personal = listOf("999999999", "Jiko", "Customer", "jiko@example.com", "15551234567", "1970-01-01", "Allston", "Berkeley", "94701", "Investor")

    private fun assertNoPersonalData(text: String) {
        for (p in personal) assertFalse(text.contains(p), "'$text' contains personal data")
    }

    private inline fun <reified E : JikoException> assertCode(code: String, block: () -> Unit): E {
        val e = assertThrows<E> { block() }
        assertEquals(code, e.code)
        assertTrue(e.detail.isNotEmpty())
        return e
    }

    @Test
    fun versionAndIdempotencyKeys() {
        assertEquals("0.1.0", version())
        val keys = (1..50).map { newIdempotencyKey() }.toSet()
        assertEquals(50, keys.size)
        val uuidV4 = Regex("^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")
        for (k in keys) assertTrue(uuidV4.matches(k), k)
    }

    @Test
    fun validationOfTheTypedRecordReportsEverythingAtOnce() {
        assertEquals(emptyList<FieldError>(), validateApplication(guideExample(), "2026-11-27"))
        assertEquals(emptyList<FieldError>(), validateApplication(guideExample(), LocalDate.of(2026, 11, 27)))
        // The current UTC date is the default.
        assertEquals(emptyList<FieldError>(), validateApplication(guideExample()))
        val bad = guideExample(ssn = "999-99-9999", dateOfBirth = "2010-01-01").copy(
            email = "",
            investmentProfile = guideExample().investmentProfile.copy(income = AnnualIncome.Unknown("LOTS")),
        )
        val errors = validateApplication(bad, "2026-11-27")
        assertEquals(
            setOf(
                "identification_number" to "invalid_ssn",
                "email" to "required",
                "date_of_birth" to "under_age",
                "investment_profile.income" to "invalid_enum",
            ),
            errors.map { it.path to it.code }.toSet(),
        )
        for (e in errors) assertNoPersonalData(e.message)
        assertCode<JikoException.InvalidArgumentException>("invalid_date") { validateApplication(bad, "11/27/2026") }
    }

    @Test
    fun jsonEntryPointsGoThroughTheCore() {
        val json = createApplicationRequestToJson(guideExample())
        val o = JSONObject(json)
        assertEquals("999999999", o.getString("identification_number"))
        assertEquals("EMPLOYED", o.getJSONObject("investment_profile").getString("employment_status"))
        assertFalse(o.getJSONObject("name").has("middle_name"), "absent optionals are left out")
        assertEquals(guideExample(), createApplicationRequestFromJson(json))
        assertEquals(emptyList<FieldError>(), validateApplicationJson(json, "2026-11-27"))
        // Text that is not JSON is one field error, as the core reports it.
        assertEquals(listOf("" to "invalid_json"), validateApplicationJson("{\"email\": ", "2026-11-27").map { it.path to it.code })
        assertCode<JikoException.InvalidArgumentException>("invalid_json") { createApplicationRequestFromJson("{\"email\": 5}") }
        assertCode<JikoException.InvalidArgumentException>("invalid_date") { validateApplicationJson(json, "2026-02-30") }
    }

    @Test
    fun personalDataNeverReachesToString() {
        val request = guideExample()
        for (text in listOf(request.toString(), request.name.toString(), request.address.toString(), request.investmentProfile.toString())) {
            assertNoPersonalData(text)
        }
        assertTrue(request.toString().startsWith("CreateApplicationRequest"))
        val application = parseApplication(
            200,
            """{"id": "$appId", "status": "APPROVED", "customer_id": "c-1",
               "name": {"first_name": "Jiko", "last_name": "Customer"}, "email": "jiko@example.com",
               "phone_number": "15551234567", "date_of_birth": {"date_of_birth": "1970-01-01"},
               "address": {"street_address": "2000 Allston Way", "city": "Berkeley", "postal_code": "94701", "country": "US"}}""".toByteArray(),
        )
        assertNoPersonalData(application.toString())
        assertTrue(application.toString().contains(appId), "non-personal fields stay visible")
        assertEquals("1970-01-01", application.dateOfBirth)
        val header = HttpHeader("Authorization", "Bearer secret-token")
        assertFalse(header.toString().contains("secret-token"))
        // Exceptions of invalid requests name fields and rules only.
        Client(base, "s3cret-signing-key").use { client ->
            val bad = guideExample(ssn = "12345").copy(email = "jiko@", phoneNumber = "0123")
            val e = assertCode<JikoException.ValidationException>("validation_failed") {
                client.createApplication("token", bad, "2026-11-27", key)
            }
            for (t in e.texts()) {
                assertNoPersonalData(t)
                assertFalse(t.contains("12345") || t.contains("jiko@"))
            }
            assertEquals(e.errors, e.fieldErrors)
        }
    }

    @Test
    fun secretsStayInsideObjects() {
        Client(base, "s3cret-signing-key").use { client ->
            assertFalse(client.toString().contains("s3cret"))
            assertEquals("http://127.0.0.1:8080", client.baseUrl())
            client.login("partner-user", "hunter2-password").use { r ->
                assertFalse(r.toString().contains("hunter2"))
                assertTrue(String(r.body()).contains("hunter2-password"))
                assertNull(r.idempotencyKey())
            }
            client.listAgreements("the-bearer-token").use { r ->
                assertFalse(r.toString().contains("the-bearer-token"))
                assertEquals("Bearer the-bearer-token", r.header("AUTHORIZATION"), "header lookup ignores case")
                assertNull(r.header("content-type"))
                for (h in r.headers()) assertFalse(h.toString().contains("the-bearer-token"))
            }
        }
        Signer("s3cret-signing-key").use { assertFalse(it.toString().contains("s3cret")) }
        parseLogin(200, """{"token": "tok-123456", "expires": "2026-11-27T11:00:00Z"}""".toByteArray()).use { s ->
            assertFalse(s.toString().contains("tok-123456"))
            assertEquals("tok-123456", s.token())
            assertEquals("2026-11-27T11:00:00Z", s.expires())
            val expiry = s.expiresAtUnixSeconds()
            assertEquals(LocalDate.of(2026, 11, 27).atTime(11, 0).toEpochSecond(ZoneOffset.UTC), expiry)
            assertFalse(s.needsRefresh(expiry - 301))
            assertTrue(s.needsRefresh(expiry - 300))
        }
    }

    @Test
    fun everyRequestBuilder() {
        Client(ClientConfig.Hosted(Environment.SANDBOX, "acme"), "secret").use { client ->
            assertEquals("https://acme.sandbox-api.jikoservices.com", client.baseUrl())
            val create = client.createApplication("tok", guideExample(), LocalDate.of(2026, 11, 27), key)
            create.use { r ->
                assertEquals("POST", r.method())
                assertEquals("/api/v1/applications/", r.path())
                assertEquals(createApplicationRequestToJson(guideExample()), String(r.body()))
                assertEquals(listOf("Authorization", "x-jiko-idempotency", "x-jiko-signature", "Content-Type", "Content-Length"), r.headers().map { it.name })
                Signer("secret").use { assertTrue(it.verify(key, r.path(), r.body(), r.header("x-jiko-signature")!!)) }
            }
            client.createApplication("tok", guideExample()).use { r ->
                assertNotEquals(key, r.idempotencyKey(), "a fresh key without one")
            }
            client.createApplicationJson("tok", createApplicationRequestToJson(guideExample()), "2026-11-27", key).use { r ->
                assertEquals(createApplicationRequestToJson(guideExample()), String(r.body()))
            }
            client.getApplication("tok", appId).use { r -> assertEquals("GET", r.method()); assertEquals(0, r.body().size) }
            client.apply("tok", appId, key).use { r -> assertEquals("https://acme.sandbox-api.jikoservices.com/api/v1/applications/$appId/apply/", r.url()) }
            client.uploadDocument("tok", appId, DocumentType.Selfie, "image/png", png).use { r ->
                assertArrayEquals(png, r.body())
                assertEquals("image/png", r.header("Content-Type"))
            }
        }
        Client(ClientConfig.Hosted(parseEnvironment("production"), "acme"), "secret").use {
            assertEquals("https://acme.partner-api.jikoservices.com", it.baseUrl())
        }
        assertEquals(Environment.SANDBOX, parseEnvironment("sandbox"))
    }

    @Test
    fun everyArgumentErrorCode() {
        assertCode<JikoException.InvalidArgumentException>("invalid_environment") { parseEnvironment("staging") }
        assertCode<JikoException.InvalidArgumentException>("invalid_partner") { Client(ClientConfig.Hosted(Environment.SANDBOX, "Acme!"), "s") }
        assertCode<JikoException.InvalidArgumentException>("invalid_base_url") { Client(ClientConfig.BaseUrl("http://example.com"), "s") }
        assertCode<JikoException.InvalidArgumentException>("invalid_secret") { Client(base, "") }
        assertCode<JikoException.InvalidArgumentException>("invalid_secret") { Signer("") }
        Client(base, "secret").use { c ->
            assertCode<JikoException.InvalidArgumentException>("invalid_idempotency_key") { c.listAgreements("tok", "not-a-uuid") }
            assertCode<JikoException.InvalidArgumentException>("invalid_application_id") { c.getApplication("tok", "../login") }
            assertCode<JikoException.InvalidArgumentException>("invalid_application_id") { c.apply("tok", "") }
            assertCode<JikoException.InvalidArgumentException>("invalid_token") { c.apply("tok en", appId) }
            assertCode<JikoException.InvalidArgumentException>("invalid_document_type") {
                c.uploadDocument("tok", appId, DocumentType.Unknown("SELFIE_VIDEO"), "image/png", png)
            }
            assertCode<JikoException.InvalidArgumentException>("invalid_date") { c.createApplication("tok", guideExample(), "tomorrow") }
            assertCode<JikoException.ValidationException>("validation_failed") { c.createApplicationJson("tok", "not json", "2026-11-27") }
                .also { assertEquals(listOf("" to "invalid_json"), it.errors.map { e -> e.path to e.code }) }
            assertCode<JikoException.ValidationException>("validation_failed") { c.login("", "") }.also {
                assertEquals(listOf("username" to "required", "password" to "required"), it.errors.map { e -> e.path to e.code })
            }
            assertCode<JikoException.DocumentException>("empty") { c.uploadDocument("tok", appId, DocumentType.IdFront, "image/png", ByteArray(0)) }
        }
        assertCode<JikoException.InvalidArgumentException>("invalid_status") { parseApplication(-1, ByteArray(0)) }
        assertCode<JikoException.InvalidArgumentException>("invalid_status") { parseUpload(65536, ByteArray(0)) }
    }

    @Test
    fun everyApiErrorKindAndDocumentCode() {
        val cases = mapOf(
            401 to ApiErrorKind.UNAUTHORIZED, 403 to ApiErrorKind.FORBIDDEN, 404 to ApiErrorKind.NOT_FOUND,
            400 to ApiErrorKind.VALIDATION, 422 to ApiErrorKind.VALIDATION, 409 to ApiErrorKind.CONFLICT,
            412 to ApiErrorKind.CONFLICT, 429 to ApiErrorKind.RATE_LIMITED, 500 to ApiErrorKind.SERVER,
            503 to ApiErrorKind.SERVER, 302 to ApiErrorKind.UNEXPECTED, 418 to ApiErrorKind.UNEXPECTED,
        )
        for ((status, kind) in cases) {
            for (parse in listOf<(Int) -> Unit>({ parseLogin(it, ByteArray(0)) }, { parseAgreements(it, ByteArray(0)) }, { parseApplication(it, ByteArray(0)) }, { parseUpload(it, ByteArray(0)) })) {
                val e = assertCode<JikoException.ApiException>("api_${kind.wireValue()}") { parse(status) }
                assertEquals(kind, e.kind)
                assertEquals(status, e.status)
                assertEquals(kind == ApiErrorKind.RATE_LIMITED || kind == ApiErrorKind.SERVER, e.kind.isRetryable())
            }
        }
        val invalid = assertCode<JikoException.ApiException>("api_invalid_response") { parseUpload(200, "{}".toByteArray()) }
        assertEquals(ApiErrorKind.INVALID_RESPONSE, invalid.kind)
        assertEquals("invalid_response", ApiErrorKind.INVALID_RESPONSE.wireValue())
        assertEquals(120L, assertThrows<JikoException.ApiException> { parseApplication(503, ByteArray(0), "120") }.retryAfterSeconds)
        val fields = assertThrows<JikoException.ApiException> {
            parseApplication(422, """{"detail": [{"loc": ["body", "email"], "msg": "bad jiko@example.com", "type": "value_error"}]}""".toByteArray())
        }
        assertEquals(listOf("email" to "value_error"), fields.fieldErrors.map { it.path to it.code })
        for (t in fields.texts()) assertFalse(t.contains("jiko@example.com"))
        // Document codes, typed.
        assertEquals(DocumentErrorCode.EMPTY, assertThrows<JikoException.DocumentException> { checkUpload(DocumentType.Selfie, "image/png", ByteArray(0)) }.reason)
        assertEquals(DocumentErrorCode.TOO_LARGE, assertThrows<JikoException.DocumentException> { checkUpload(DocumentType.Selfie, "image/png", png.copyOf(5_000_001)) }.reason)
        assertEquals(DocumentErrorCode.WRONG_TYPE, assertThrows<JikoException.DocumentException> { checkUpload(DocumentType.Selfie, "image/jpeg", png) }.reason)
        checkUpload(DocumentType.Unknown("NEW_KIND"), "image/heic", png)
    }

    @Test
    fun parsedModelsAndTheirJson() {
        val agreements = parseAgreements(
            200,
            """{"version": "2", "release_date": "2026-01-15", "documents": [
               {"title": "T", "pdf_download_url": "https://x/t.pdf", "type": "NEW_AGREEMENT", "category": "E-SIGN"}]}""".toByteArray(),
        )
        assertEquals(AgreementType.Unknown("NEW_AGREEMENT"), agreements.documents[0].agreementType)
        assertEquals(AgreementCategory.ESign, agreements.documents[0].category)
        assertEquals("E-SIGN", agreements.documents[0].category.wireValue())
        assertTrue(JSONObject(agreementsToJson(agreements)).getJSONArray("documents").getJSONObject(0).similar(
            JSONObject("""{"title": "T", "pdf_download_url": "https://x/t.pdf", "type": "NEW_AGREEMENT", "category": "E-SIGN"}"""),
        ))
        val uploaded = parseUpload(201, """{"success": true, "document_id": "d-1"}""".toByteArray())
        assertEquals(UploadedDocument(true, "d-1"), uploaded)
        assertTrue(JSONObject(uploadedDocumentToJson(uploaded)).similar(JSONObject("""{"success": true, "document_id": "d-1"}""")))
        val app = parseApplication(
            200,
            """{"id": "$appId", "status": "DOCUMENTS_NEEDED", "id_verification_documents_needed": true,
               "documents": [{"id": "d", "type": "ID_FRONT", "status": "APPROVED"}]}""".toByteArray(),
        )
        assertEquals(DocumentStatus.Approved, app.documents[0].status)
        val docs = requiredDocuments(app)
        assertEquals(listOf(listOf(DocumentType.IdBack), listOf(DocumentType.Selfie, DocumentType.Passport)), docs.map { it.oneOf })
        assertEquals(DocumentFlag.ID_VERIFICATION, docs[0].flag)
        assertEquals("id_verification_documents_needed", docs[0].flag.wireValue())
        val action = nextAction(app)
        assertEquals(NextAction.UploadDocuments(docs), action)
        assertEquals("upload_documents", action.kind())
        assertEquals(NextAction.Apply, nextAction(app.copy(status = ApplicationStatus.Pending)))
        assertEquals(NextAction.Wait(WaitReason.MANUAL_REVIEW), nextAction(app.copy(status = ApplicationStatus.ManualReview)))
        assertEquals(NextAction.Unknown("ON_HOLD"), nextAction(app.copy(status = applicationStatusFromWire("ON_HOLD"))))
        // A wire spelling is read with <type>FromWire; Unknown(...) is kept as given.
        assertEquals(NextAction.Rejected, nextAction(app.copy(status = applicationStatusFromWire("REJECTED"))))
        assertEquals(NextAction.Unknown("REJECTED"), nextAction(app.copy(status = ApplicationStatus.Unknown("REJECTED"))))
        assertEquals("""{"kind":"wait","reason":"manual_review"}""", nextActionToJson(NextAction.Wait(WaitReason.MANUAL_REVIEW)))
        val scenario = sandboxScenario("211111111")
        assertEquals(ApplicationStatus.DocumentsNeeded, scenario.statusAfterApply)
        assertEquals(ApplicationStatus.ManualReview, scenario.statusAfterDocuments)
        assertTrue(scenario.idVerificationDocumentsNeeded)
    }

    /** Every known value of every server enum survives wireValue / fromWire. */
    @Test
    fun openEnumsRoundTrip() {
        fun <T : Any> known(cls: Class<T>): List<T> = cls.declaredClasses
            .filter { it.superclass == cls }
            .mapNotNull { sub -> runCatching { cls.cast(sub.getField("INSTANCE").get(null)) }.getOrNull() }
        val checks: List<Triple<List<Any>, (Any) -> String, (String) -> Any>> = listOf(
            Triple(known(ApplicationStatus::class.java), { v -> (v as ApplicationStatus).wireValue() }, ::applicationStatusFromWire),
            Triple(known(IdentificationType::class.java), { v -> (v as IdentificationType).wireValue() }, ::identificationTypeFromWire),
            Triple(known(EmploymentStatus::class.java), { v -> (v as EmploymentStatus).wireValue() }, ::employmentStatusFromWire),
            Triple(known(AnnualIncome::class.java), { v -> (v as AnnualIncome).wireValue() }, ::annualIncomeFromWire),
            Triple(known(NetWorth::class.java), { v -> (v as NetWorth).wireValue() }, ::netWorthFromWire),
            Triple(known(DocumentType::class.java), { v -> (v as DocumentType).wireValue() }, ::documentTypeFromWire),
            Triple(known(DocumentStatus::class.java), { v -> (v as DocumentStatus).wireValue() }, ::documentStatusFromWire),
            Triple(known(AgreementType::class.java), { v -> (v as AgreementType).wireValue() }, ::agreementTypeFromWire),
            Triple(known(AgreementCategory::class.java), { v -> (v as AgreementCategory).wireValue() }, ::agreementCategoryFromWire),
        )
        val sizes = listOf(7, 4, 5, 4, 5, 31, 4, 20, 4)
        for ((i, check) in checks.withIndex()) {
            val (values, wire, fromWire) = check
            assertEquals(sizes[i], values.size, "known values of enum #$i")
            assertEquals(values.size, values.map(wire).toSet().size, "distinct wire values")
            for (v in values) {
                assertEquals(v, fromWire(wire(v)))
                assertEquals(wire(v), v.toString(), "toString is the wire value")
            }
        }
        assertTrue(DocumentType.Passport.isKnown())
        assertFalse(documentTypeFromWire("HOLOGRAM").isKnown())
        assertEquals("HOLOGRAM", documentTypeFromWire("HOLOGRAM").wireValue())
        assertEquals(IdentificationType.Ssn, identificationTypeFromWire("SSN"))
    }

    /** Nothing panics across the boundary: any input gives a value or a JikoException. */
    @Test
    fun arbitraryInputNeverPanics() {
        val random = Random(20261127)
        val texts = listOf("", "{", "[]", "null", "{\"id\": 1}", "\u0000", "\uD83D\uDE00", "9".repeat(400), "{\"status\": []}")
        Client(base, "secret").use { client ->
            Signer("k").use { signer ->
                repeat(400) {
                    val bytes = if (random.nextBoolean()) random.nextBytes(random.nextInt(0, 64)) else texts.random(random).toByteArray()
                    val text = String(bytes, Charsets.UTF_8)
                    val status = listOf(random.nextInt(-5, 700), 200, 201, 422, Int.MAX_VALUE, Int.MIN_VALUE).random(random)
                    val calls: List<() -> Any> = listOf(
                        { parseApplication(status, bytes, text) }, { parseLogin(status, bytes) },
                        { parseAgreements(status, bytes) }, { parseUpload(status, bytes) },
                        { validateApplicationJson(text, "2026-11-27") }, { validateApplicationJson(text, text) },
                        { createApplicationRequestFromJson(text) }, { sandboxScenario(text) },
                        { client.createApplicationJson(text, text, null, null) },
                        { client.getApplication(text, text, text) }, { client.login(text, text) },
                        { client.uploadDocument(text, appId, documentTypeFromWire(text), text, bytes) },
                        { checkUpload(documentTypeFromWire(text), text, bytes) },
                        { signer.verify(text, text, bytes, text) }, { signer.sign(text, text, bytes) },
                        { Client(ClientConfig.BaseUrl(text), text) }, { Client(ClientConfig.Hosted(Environment.PRODUCTION, text), text) },
                        { parseEnvironment(text) }, { applicationStatusFromWire(text).wireValue() },
                    )
                    for (call in calls) {
                        try {
                            val result = call()
                            if (result is AutoCloseable) result.close()
                        } catch (e: JikoException) {
                            assertTrue(e.code.isNotEmpty())
                        }
                    }
                }
            }
        }
    }
}
