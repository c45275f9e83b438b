package jiko.onboarding

import jiko.onboarding.core.*

import org.json.JSONObject
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTimeoutPreemptively
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.DynamicTest
import org.junit.jupiter.api.TestFactory
import org.junit.jupiter.api.assertThrows
import java.io.File
import java.time.Duration

/**
 * tests/vectors/hostile (see its index.json): every file to every parser as a 200 and as a
 * 422, and to validation as JSON text. Each must end in the typed error within a bounded
 * time, never a crash, a hang or a Rust panic (which would surface as InternalException).
 */
class HostileTest {
    private val dir = File(Vectors.dir, "hostile")

    @TestFactory
    fun hostileInputs(): List<DynamicTest> {
        val index = JSONObject(File(dir, "index.json").readText())
        val cases = index.getJSONArray("cases")
        assertTrue(cases.length() > 0, "no hostile cases")
        return (0 until cases.length()).map { i ->
            val case = cases.getJSONObject(i)
            DynamicTest.dynamicTest("hostile: ${case.getString("name")}") {
                val bytes = File(dir, case.getString("file")).readBytes()
                assertEquals(case.getInt("size"), bytes.size)
                assertTimeoutPreemptively(Duration.ofSeconds(20)) { check(bytes) }
            }
        }
    }

    private fun check(bytes: ByteArray) {
        val parsers = listOf<(Int) -> Unit>(
            { parseLogin(it, bytes).close() },
            { parseAgreements(it, bytes) },
            { parseApplication(it, bytes) },
            { parseUpload(it, bytes) },
        )
        for (parse in parsers) {
            assertEquals("api_invalid_response", assertThrows<JikoException.ApiException> { parse(200) }.code)
            assertEquals("api_validation", assertThrows<JikoException.ApiException> { parse(422) }.code)
        }
        // Kotlin strings cannot hold invalid UTF-8: such bytes arrive as U+FFFD.
        val text = String(bytes, Charsets.UTF_8)
        assertTrue(validateApplicationJson(text, "2026-11-27").isNotEmpty(), "expected field errors")
        Client(ClientConfig.BaseUrl("http://127.0.0.1:8080"), "secret").use { client ->
            assertThrows<JikoException.ValidationException> {
                client.createApplicationJson("token", text, "2026-11-27", "123e4567-e89b-42d3-a456-426614174000")
            }
        }
    }
}
