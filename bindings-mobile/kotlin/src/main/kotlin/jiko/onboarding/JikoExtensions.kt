// A small idiomatic layer over the Kotlin that uniffi generates (jiko_onboarding.kt).
// It adds no logic: it reads the fields every exception case already carries, and
// turns java.time dates into the `YYYY-MM-DD` text the core checks.
package jiko.onboarding

import java.time.LocalDate

/**
 * The stable code of any [JikoException]: `validation_failed`, `api_<kind>`, `empty`,
 * `too_large`, `wrong_type`, or an argument code such as `invalid_idempotency_key`.
 */
val JikoException.code: String
    get() = when (this) {
        is JikoException.ValidationException -> this.code
        is JikoException.ApiException -> this.code
        is JikoException.DocumentException -> this.code
        is JikoException.InvalidArgumentException -> this.code
    }

/** What went wrong, without any rejected value, body text or secret. */
val JikoException.detail: String
    get() = when (this) {
        is JikoException.ValidationException -> this.detail
        is JikoException.ApiException -> this.detail
        is JikoException.DocumentException -> this.detail
        is JikoException.InvalidArgumentException -> this.detail
    }

/** The field errors of a validation error or of the server's 422; otherwise empty. */
val JikoException.fieldErrors: List<FieldError>
    get() = when (this) {
        is JikoException.ValidationException -> this.errors
        is JikoException.ApiException -> this.errors
        else -> emptyList()
    }

/** [validateApplication] against a [LocalDate], such as the device's `LocalDate.now()`. */
@Throws(JikoException::class)
fun validateApplication(application: CreateApplicationRequest, today: LocalDate): List<FieldError> =
    validateApplication(application, today.toString())

/** [Client.createApplication] against a [LocalDate], such as the device's `LocalDate.now()`. */
@Throws(JikoException::class)
fun Client.createApplication(
    token: String,
    application: CreateApplicationRequest,
    today: LocalDate,
    idempotencyKey: String? = null,
): PreparedRequest = createApplication(token, application, today.toString(), idempotencyKey)
