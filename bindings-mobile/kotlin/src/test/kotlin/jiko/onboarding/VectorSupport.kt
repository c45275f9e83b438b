package jiko.onboarding

import jiko.onboarding.core.*

import org.json.JSONArray
import org.json.JSONObject
import java.io.File
import java.util.Base64

/** Reading tests/vectors: the files, their cases and the byte encodings of README.md. */
object Vectors {
    val dir: File = File(System.getProperty("jiko.vectors.dir") ?: "../../tests/vectors")

    /** `python3 tests/vectors/count.py`, passed in by the Makefile; -1 when not given. */
    val expectedTotal: Int = (System.getProperty("jiko.vectors.expected") ?: "-1").toInt()

    fun files(): List<File> =
        (dir.listFiles { f -> f.isFile && f.name.endsWith(".json") } ?: emptyArray())
            .sortedBy { it.name }

    fun cases(name: String): List<JSONObject> {
        val doc = JSONObject(File(dir, name).readText(Charsets.UTF_8))
        val cases = doc.getJSONArray("cases")
        return (0 until cases.length()).map { cases.getJSONObject(it) }
    }

    /** `{"utf8": ...}`, `{"base64": ...}` or `{"prefix_base64": ..., "size": N}`. */
    fun bytes(spec: JSONObject): ByteArray = when {
        spec.has("utf8") -> spec.getString("utf8").toByteArray(Charsets.UTF_8)
        spec.has("base64") -> Base64.getDecoder().decode(spec.getString("base64"))
        spec.has("prefix_base64") -> {
            val prefix = Base64.getDecoder().decode(spec.getString("prefix_base64"))
            val out = ByteArray(spec.getInt("size"))
            System.arraycopy(prefix, 0, out, 0, minOf(prefix.size, out.size))
            out
        }
        else -> throw IllegalArgumentException("unknown byte encoding: ${spec.keySet()}")
    }

    fun nullableString(o: JSONObject, key: String): String? =
        if (!o.has(key) || o.isNull(key)) null else o.getString(key)

    /** (path, code) pairs of `[{path, code}]`. */
    fun pairs(array: JSONArray): List<Pair<String, String>> =
        (0 until array.length()).map {
            val e = array.getJSONObject(it)
            e.getString("path") to e.getString("code")
        }

    fun pairs(errors: List<FieldError>): List<Pair<String, String>> = errors.map { it.path to it.code }

    /** Every string value in a JSON document, recursively. */
    fun strings(value: Any?): List<String> = when (value) {
        is String -> listOf(value)
        is JSONObject -> value.keySet().flatMap { strings(value.get(it)) }
        is JSONArray -> (0 until value.length()).flatMap { strings(value.get(it)) }
        else -> emptyList()
    }

    /** A JSON value (object, array, string, ...) parsed from text. */
    fun parse(text: String): Any = org.json.JSONTokener(text).nextValue()
}

fun <T> multiset(items: List<T>): Map<T, Int> = items.groupingBy { it }.eachCount()

/** The message, detail and toString of an exception, which must never leak data. */
fun JikoException.texts(): List<String> = listOf(message ?: "", toString(), detail)
