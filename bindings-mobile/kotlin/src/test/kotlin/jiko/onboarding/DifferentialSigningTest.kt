package jiko.onboarding

import jiko.onboarding.core.*

import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import java.util.Base64
import java.util.UUID
import javax.crypto.Mac
import javax.crypto.spec.SecretKeySpec
import kotlin.random.Random

/**
 * Differential signing (issue 8, item 5): `Signer.sign` and `Signer.verify`, which run in
 * the Rust core, against an independent implementation, the JDK's `javax.crypto.Mac`
 * (HmacSHA256) and `java.util.Base64`, on random secrets, idempotency keys, paths and
 * bodies (ASCII, non-ASCII text, binary, empty, past the HMAC block size).
 *
 * The seed is fixed and printed; replay a failure with `-Djiko.signing.seed=N` (and
 * `-Djiko.signing.cases=N` for more cases), e.g.
 * `mvn -f bindings-mobile/kotlin/pom.xml test -Dtest=DifferentialSigningTest -Djiko.signing.seed=N`.
 */
class DifferentialSigningTest {
    private val seed: Long = System.getProperty("jiko.signing.seed")?.toLong() ?: 20261127L
    private val cases: Int = System.getProperty("jiko.signing.cases")?.toInt() ?: 1000

    /** The reference: base64(HMAC-SHA256(secret, key + path + body)), JDK only. */
    private fun reference(secret: ByteArray, key: String, path: String, body: ByteArray): String {
        val mac = Mac.getInstance("HmacSHA256")
        mac.init(SecretKeySpec(secret, "HmacSHA256"))
        mac.update(key.toByteArray(Charsets.UTF_8))
        mac.update(path.toByteArray(Charsets.UTF_8))
        mac.update(body)
        return Base64.getEncoder().encodeToString(mac.doFinal())
    }

    // Code points from several ranges: ASCII (with controls), Latin-1, Greek/Cyrillic,
    // CJK, and beyond the BMP (emoji: a surrogate pair in Kotlin, 4 bytes in UTF-8).
    // Lone surrogates are left out: they are not Unicode text and have no UTF-8 form.
    private fun codePoint(r: Random): Int = when (r.nextInt(6)) {
        0, 1 -> r.nextInt(0x20, 0x7f)
        2 -> r.nextInt(0x00, 0x20)
        3 -> r.nextInt(0xa0, 0x800)
        4 -> r.nextInt(0x4e00, 0x9fff)
        else -> r.nextInt(0x1f300, 0x1faff)
    }

    private fun text(r: Random, maxLength: Int): String {
        val sb = StringBuilder()
        repeat(r.nextInt(0, maxLength + 1)) { sb.appendCodePoint(codePoint(r)) }
        return sb.toString()
    }

    private fun uuid(r: Random): String = UUID(r.nextLong(), r.nextLong()).toString()

    private fun secret(r: Random): String = when (r.nextInt(4)) {
        0 -> "sandbox-signing-secret-" + r.nextInt(0, 1_000_000)
        1 -> text(r, 40).ifEmpty { "x" }
        2 -> text(r, 200).ifEmpty { "y" } // often past SHA-256's 64-byte block: the key is hashed
        else -> Base64.getEncoder().encodeToString(r.nextBytes(r.nextInt(1, 96)))
    }

    private fun key(r: Random): String = when (r.nextInt(4)) {
        0, 1 -> uuid(r)
        2 -> uuid(r).uppercase()
        else -> text(r, 40) // the signer signs whatever it is given
    }

    private fun path(r: Random): String = when (r.nextInt(5)) {
        0 -> "/api/v1/applications/"
        1 -> "/api/v1/applications/${uuid(r)}/"
        2 -> "/api/v1/applications/${uuid(r)}/apply/"
        3 -> "/api/v1/agreements/"
        else -> "/" + text(r, 60)
    }

    private fun body(r: Random): ByteArray = when (r.nextInt(6)) {
        0 -> ByteArray(0)
        1 -> r.nextBytes(r.nextInt(1, 2048)) // binary
        2 -> text(r, 300).toByteArray(Charsets.UTF_8) // non-ASCII text
        3 -> """{"email":"${text(r, 20).replace("\"", "")}","n":${r.nextInt()}}""".toByteArray(Charsets.UTF_8)
        4 -> byteArrayOf(0x89.toByte(), 'P'.code.toByte(), 'N'.code.toByte(), 'G'.code.toByte()) + r.nextBytes(r.nextInt(0, 512))
        else -> r.nextBytes(r.nextInt(60_000, 70_000)) // around 64 KiB
    }

    @Test
    fun signAndVerifyAgreeWithJavaxCryptoMac() {
        println("differential signing: seed=$seed cases=$cases (replay with -Djiko.signing.seed=$seed -Djiko.signing.cases=$cases)")
        val r = Random(seed)
        var checked = 0
        repeat(cases) { i ->
            val secret = secret(r)
            val key = key(r)
            val path = path(r)
            val body = body(r)
            val where = "seed=$seed case=$i (secret ${secret.length} chars, key ${key.length} chars, path ${path.length} chars, body ${body.size} bytes)"
            val expected = reference(secret.toByteArray(Charsets.UTF_8), key, path, body)
            Signer(secret).use { signer ->
                assertEquals(expected, signer.sign(key, path, body), "sign differs from javax.crypto.Mac: $where")
                assertTrue(signer.verify(key, path, body, expected), "verify refuses the JDK's signature: $where")
                // One bit flipped in the MAC: refused.
                val raw = Base64.getDecoder().decode(expected)
                val at = r.nextInt(raw.size)
                raw[at] = (raw[at].toInt() xor (1 shl r.nextInt(8))).toByte()
                val flipped = Base64.getEncoder().encodeToString(raw)
                assertFalse(signer.verify(key, path, body, flipped), "verify accepts a flipped bit: $where")
                // A different message or secret, signed by the JDK: refused.
                val longer = body + byteArrayOf(r.nextInt(256).toByte())
                assertFalse(signer.verify(key, path, longer, expected), "verify accepts one more body byte: $where")
                assertTrue(signer.verify(key, path, longer, reference(secret.toByteArray(Charsets.UTF_8), key, path, longer)), where)
                val otherSecret = reference((secret + "x").toByteArray(Charsets.UTF_8), key, path, body)
                assertFalse(signer.verify(key, path, body, otherSecret), "verify accepts another secret's signature: $where")
                // Moving bytes between the parts changes nothing for a plain concatenation,
                // which the reference computes too (no separator, as the guide says).
                if (path.isNotEmpty()) {
                    val moved = reference(secret.toByteArray(Charsets.UTF_8), key + path, "", body)
                    assertEquals(moved, signer.sign(key, path, body), where)
                }
            }
            checked++
        }
        println("differential signing: $checked cases agree with javax.crypto.Mac (seed=$seed)")
        assertEquals(cases, checked)
        assertTrue(checked >= 1000 || System.getProperty("jiko.signing.cases") != null, "at least 1,000 cases")
    }
}
