// A small idiomatic layer over the Kotlin that uniffi generates (jiko_onboarding.kt for
// the binding's functions and objects, core/jiko_onboarding_core.kt for the core's
// types). It adds no logic: it reads the fields every exception case already carries,
// names the core's defaults, and turns java.time values into what the core takes.
package jiko.onboarding

import jiko.onboarding.core.CreateApplicationRequest
import jiko.onboarding.core.FieldError
import jiko.onboarding.core.FlowConfig
import jiko.onboarding.core.PollPolicy
import jiko.onboarding.core.RetryPolicy
import jiko.onboarding.core.WebhookEvent
import java.time.Instant
import java.time.LocalDate

/**
 * The stable code of any [JikoException]: `validation_failed`, `api_<kind>`, `empty`,
 * `too_large`, `wrong_type`, a webhook or flow code, `transport_<kind>`, or an argument
 * code such as `invalid_idempotency_key`.
 */
val JikoException.code: String
    get() = when (this) {
        is JikoException.ValidationException -> this.code
        is JikoException.ApiException -> this.code
        is JikoException.DocumentException -> this.code
        is JikoException.WebhookException -> this.code
        is JikoException.FlowException -> this.code
        is JikoException.TransportException -> this.code
        is JikoException.InvalidArgumentException -> this.code
    }

/** What went wrong, without any rejected value, body text or secret. */
val JikoException.detail: String
    get() = when (this) {
        is JikoException.ValidationException -> this.detail
        is JikoException.ApiException -> this.detail
        is JikoException.DocumentException -> this.detail
        is JikoException.WebhookException -> this.detail
        is JikoException.FlowException -> this.detail
        is JikoException.TransportException -> this.detail
        is JikoException.InvalidArgumentException -> this.detail
    }

/** The field errors of a validation error or of the server's 422; otherwise empty. */
val JikoException.fieldErrors: List<FieldError>
    get() = when (this) {
        is JikoException.ValidationException -> this.errors
        is JikoException.ApiException -> this.errors
        else -> emptyList()
    }

/** The core's default flow settings, to adjust with `copy(...)`. */
fun FlowConfig.Companion.default(): FlowConfig = defaultFlowConfig()

/** The core's default retry policy. */
fun RetryPolicy.Companion.default(): RetryPolicy = defaultFlowConfig().retry

/** The core's default poll schedule. */
fun PollPolicy.Companion.default(): PollPolicy = defaultFlowConfig().poll

/** The application the event is about (the four `application.*` events). */
val WebhookEvent.applicationId: String?
    get() = payload.applicationId

/** [FlowResult.nextCheckAtMs] as an [Instant]: when a waiting flow wants to run again. */
val FlowResult.nextCheckAt: Instant?
    get() = nextCheckAtMs?.let { Instant.ofEpochMilli(it.toLong()) }

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
