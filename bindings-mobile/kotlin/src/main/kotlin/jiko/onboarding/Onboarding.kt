// The driver (issue 19): Onboarding (one per partner) and Flow (one per applicant), a
// short loop over the core's OnboardingFlow that sends with a Transport and sleeps with
// coroutines. Every decision (what to send, retries, keys, waits, documents, the end) is
// the engine's; this file moves bytes and time.
package jiko.onboarding

import jiko.onboarding.core.ClientConfig
import jiko.onboarding.core.CreateApplicationRequest
import jiko.onboarding.core.DocumentRequirement
import jiko.onboarding.core.DocumentType
import jiko.onboarding.core.FlowConfig
import jiko.onboarding.core.FlowState
import jiko.onboarding.core.FlowWaitReason
import jiko.onboarding.core.Operation
import jiko.onboarding.core.RetryReason
import jiko.onboarding.core.TransportErrorKind
import kotlinx.coroutines.CancellationException
import kotlinx.coroutines.NonCancellable
import kotlinx.coroutines.TimeoutCancellationException
import kotlinx.coroutines.channels.Channel
import kotlinx.coroutines.currentCoroutineContext
import kotlinx.coroutines.isActive
import kotlinx.coroutines.sync.Mutex
import kotlinx.coroutines.sync.withLock
import kotlinx.coroutines.withContext
import kotlinx.coroutines.withTimeoutOrNull
import java.io.IOException
import java.time.Clock
import java.time.LocalDate
import kotlin.time.Duration
import kotlin.time.Duration.Companion.seconds

/**
 * The partner's credentials: Login's [username] and password, and the signing secret.
 * The two secrets are handed to the native library when an [Onboarding] is built (where
 * they are zeroized when freed); `toString()` shows none of the three.
 */
class Credentials(val username: String, internal val password: String, internal val signingSecret: String) {
    override fun toString(): String = "Credentials(<redacted>)"
}

/**
 * What a driver did, for logs and metrics: operations, path templates, statuses, reasons
 * and delays. Never an id, a token, a body or personal data, so any of these can be logged
 * as it is (`toString()`).
 */
sealed class OnboardingEvent {
    /** A request went out. */
    data class RequestSent(val operation: Operation, val method: String, val pathTemplate: String, val attempt: Long) : OnboardingEvent()

    /** It was answered. */
    data class ResponseReceived(val operation: Operation, val status: Int, val elapsedMillis: Long) : OnboardingEvent()

    /** It got no answer. */
    data class TransportFailed(val operation: Operation, val kind: TransportErrorKind, val elapsedMillis: Long) : OnboardingEvent()

    /** The flow waits: for Jiko (KYC, a review, an account), a retry ([retryReason]), or a login. */
    data class Waiting(val reason: FlowWaitReason, val retryReason: RetryReason?, val delayMillis: Long) : OnboardingEvent()

    /** Jiko asked for documents: `provideDocument` one per requirement, then `run` again. */
    data class DocumentsNeeded(val requirements: List<DocumentRequirement>) : OnboardingEvent()

    /** `run` returned with this state (and the error's code, when there is one). */
    data class Returned(val state: FlowState, val errorCode: String?) : OnboardingEvent()
}

/** Receives each [OnboardingEvent] of the flows of an [Onboarding]; called on the flow's coroutine. */
fun interface OnboardingListener {
    fun onEvent(event: OnboardingEvent)
}

/**
 * One per partner: the configuration, the credentials and one shared login, used by all
 * of its flows (one login in flight at a time, refreshed before it expires).
 *
 * [transport] sends the requests ([JavaHttpTransport] by default; [OkHttpTransport] on
 * Android, or any other). [flowConfig] holds the engine's settings (the core's defaults;
 * `FlowConfig.default().copy(webhooks = true)` when a webhook receiver calls
 * [Flow.notify]). [clock] gives `now` to the engine; [listener] sees each step.
 */
class Onboarding @JvmOverloads constructor(
    config: ClientConfig,
    credentials: Credentials,
    internal val transport: Transport = JavaHttpTransport(),
    val flowConfig: FlowConfig = FlowConfig.default(),
    internal val listener: OnboardingListener? = null,
    internal val clock: Clock = Clock.systemUTC(),
) : AutoCloseable {
    /** The request builder (signing secret inside): also usable directly. */
    val client: Client = Client(config, credentials.signingSecret)
    internal val authenticator: Authenticator = Authenticator(credentials.username, credentials.password)

    /**
     * A flow for this application, validated now (a [JikoException.ValidationException],
     * and nothing is sent); nothing is sent until [Flow.run]. [today] defaults to the core's
     * policy: the UTC date.
     */
    @Throws(JikoException::class)
    fun start(application: CreateApplicationRequest, today: LocalDate? = null): Flow =
        Flow(this, OnboardingFlow.start(client, flowConfig, application, today?.toString(), nowMs()))

    /** [start] from the JSON text of a Create Application body (API field names). */
    @Throws(JikoException::class)
    fun startJson(applicationJson: String, today: LocalDate? = null): Flow =
        Flow(this, OnboardingFlow.startJson(client, flowConfig, applicationJson, today?.toString(), nowMs()))

    /**
     * A flow continued from [Flow.snapshot], in this process or another. The application
     * is needed again only while its Create has not been answered (a
     * [JikoException.FlowException] with code `application_required` says so).
     */
    @Throws(JikoException::class)
    fun resume(snapshot: String, application: CreateApplicationRequest? = null): Flow =
        Flow(this, OnboardingFlow.restore(client, flowConfig, snapshot, application, null))

    internal fun nowMs(): ULong = clock.millis().coerceAtLeast(0).toULong()

    internal fun emit(event: OnboardingEvent) {
        try {
            listener?.onEvent(event)
        } catch (e: Exception) {
            // A failing listener must not break a flow.
        }
    }

    override fun close() {
        authenticator.close()
        client.close()
    }

    override fun toString(): String = "Onboarding(${client.baseUrl()})"
}

/**
 * One applicant's journey. [run] sends, retries, polls and sleeps until the journey
 * ends, documents are needed, or the next step is further away than `maxWait`. It can be
 * cancelled at any time: the request in flight is reported to the engine as `reset`
 * first, so [snapshot] stays valid. An exception other than [TransportFailure] or an
 * `IOException` from the transport, or an answer whose status is outside 0..65535 (an
 * `IllegalStateException`), is reported to the engine as `reset` too, then thrown by [run]. One `run` at a time; [notify], [provideDocument] and [snapshot] may be called
 * from any thread.
 */
class Flow internal constructor(private val onboarding: Onboarding, private val engine: OnboardingFlow) : AutoCloseable {
    private val wake = Channel<Unit>(Channel.CONFLATED)
    private val running = Mutex()

    /** The application's id, once created. */
    val applicationId: String? get() = engine.applicationId()

    /** Whether the journey is over (approved, rejected or failed). */
    val isFinished: Boolean get() = engine.isFinished()

    /** Everything needed to continue: versioned JSON without personal data or secrets. */
    fun snapshot(): String = engine.snapshot()

    /**
     * Something happened (a webhook): the flow reads the application at once, waking a
     * sleeping [run]. (`notifyFlow()` from Java, where `Object.notify()` takes the name.)
     */
    @JvmName("notifyFlow")
    fun notify() {
        engine.notify(onboarding.nowMs())
        wake.trySend(Unit)
    }

    /** A document for Jiko's request, checked now (as `checkUpload` checks), uploaded by the next [run]. */
    @Throws(JikoException::class)
    fun provideDocument(documentType: DocumentType, contentType: String, data: ByteArray) =
        engine.provideDocument(documentType, contentType, data)

    /** Runs the journey as far as it can go now; see the class documentation. */
    suspend fun run(maxWait: Duration = 60.seconds): FlowResult = running.withLock {
        while (true) {
            val now = onboarding.nowMs()
            when (val step = engine.poll(now, onboarding.authenticator)) {
                is Step.Send -> send(step.transmit)
                is Step.Wait -> {
                    val delay = if (step.wait.untilMs > now) (step.wait.untilMs - now).toLong() else 0L
                    if (delay > maxWait.inWholeMilliseconds) return@withLock finish()
                    onboarding.emit(OnboardingEvent.Waiting(step.wait.reason, step.wait.retryReason, delay))
                    withTimeoutOrNull(delay) { wake.receive() }
                }
                is Step.NeedDocuments -> {
                    onboarding.emit(OnboardingEvent.DocumentsNeeded(step.requirements))
                    return@withLock finish()
                }
                is Step.Done -> return@withLock finish()
            }
        }
        @Suppress("UNREACHABLE_CODE")
        error("unreachable")
    }

    private fun finish(): FlowResult {
        val result = engine.result()
        onboarding.emit(OnboardingEvent.Returned(result.state, result.error?.code))
        return result
    }

    private suspend fun send(transmit: Transmit) {
        val operation = transmit.operation
        val request = transmit.request
        onboarding.emit(OnboardingEvent.RequestSent(operation, request.method(), operation.pathTemplate(), transmit.attempt.toLong()))
        val sentAt = onboarding.clock.millis()
        val timeout = transmit.timeoutMs.toLong()
        val response = try {
            // The transport times out by itself; this bounds a transport that does not.
            val answer = withTimeoutOrNull(timeout + TIMEOUT_GRACE_MS) { onboarding.transport.send(request, timeout) }
                ?: throw TransportFailure(TransportErrorKind.TIMED_OUT, "no answer within the timeout")
            // The engine refuses a status outside 0..65535 before taking the answer, which
            // would leave the request outstanding: a transport's bug, reported as `reset`
            // and thrown below like any other unexpected exception of a transport.
            if (answer.status !in 0..65535) throw IllegalStateException("the transport answered the status ${answer.status}, outside 0..65535")
            answer
        } catch (e: CancellationException) {
            if (e is TimeoutCancellationException && currentCoroutineContext().isActive) {
                // The transport's own withTimeout ran out while this run goes on: no answer
                // in time, as when the driver's bound runs out, not a cancellation.
                failed(transmit, TransportErrorKind.TIMED_OUT, sentAt)
                return
            }
            // Cancelled while the request may be on the wire: tell the engine before
            // unwinding, so that the snapshot counts the attempt as ambiguous.
            withContext(NonCancellable) { failed(transmit, TransportErrorKind.RESET, sentAt) }
            throw e
        } catch (e: TransportFailure) {
            failed(transmit, e.kind, sentAt)
            return
        } catch (e: IOException) {
            // A transport that throws a plain IOException: the request may have been sent.
            failed(transmit, TransportErrorKind.RESET, sentAt)
            return
        } catch (e: Throwable) {
            // Anything else from a transport (IllegalStateException, UncheckedIOException,
            // an Error): the request may have been sent. Tell the engine, so that the next
            // run retries after its backoff and counts the attempt, then let it propagate.
            withContext(NonCancellable) { failed(transmit, TransportErrorKind.RESET, sentAt) }
            throw e
        }
        onboarding.emit(OnboardingEvent.ResponseReceived(operation, response.status, onboarding.clock.millis() - sentAt))
        engine.handleResponse(transmit.attempt, response.status, response.headers, response.body, onboarding.nowMs(), onboarding.authenticator)
    }

    private fun failed(transmit: Transmit, kind: TransportErrorKind, sentAt: Long) {
        onboarding.emit(OnboardingEvent.TransportFailed(transmit.operation, kind, onboarding.clock.millis() - sentAt))
        engine.handleTransportError(transmit.attempt, kind, onboarding.nowMs(), onboarding.authenticator)
    }

    override fun close() = engine.close()

    override fun toString(): String = "Flow(${engine})"

    private companion object {
        const val TIMEOUT_GRACE_MS = 5_000L
    }
}
