// The Swift driver (issue 19 item 4), the same as the Kotlin one (Onboarding.kt): an
// Onboarding per partner and a Flow per applicant, a short loop over the core's
// OnboardingFlow that sends with URLSession (a delegate refuses every redirect) or any
// Transport, and sleeps with Swift concurrency, woken early by notify(). Every decision is
// the engine's. Written on Linux without a Swift toolchain: not compiled or run here.
import Foundation

/// The partner's credentials: Login's username and password, and the signing secret.
/// `description` shows none of them.
public struct Credentials: CustomStringConvertible, CustomDebugStringConvertible {
    public let username: String
    let password: String
    let signingSecret: String

    public init(username: String, password: String, signingSecret: String) {
        self.username = username
        self.password = password
        self.signingSecret = signingSecret
    }

    public var description: String { "Credentials(<redacted>)" }
    public var debugDescription: String { description }
}

/// An HTTP answer: the status, the headers, and the body bytes as received.
public struct HttpResponse: CustomStringConvertible {
    public let status: Int
    public let headers: [HttpHeader]
    public let body: Data

    public init(status: Int, headers: [HttpHeader], body: Data) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// Status and size only: headers and bodies may carry tokens or personal data.
    public var description: String { "HttpResponse(status: \(status), \(body.count) bytes)" }
}

/// A request that got no answer. `kind` tells the flow whether the server may have acted:
/// `.notSent` when it certainly did not, `.timedOut` or `.reset` when it may have.
public struct TransportFailure: Error, CustomStringConvertible {
    public let kind: TransportErrorKind

    public init(kind: TransportErrorKind) {
        self.kind = kind
    }

    public var description: String { "TransportFailure(\(kind.wireValue()))" }
}

/// Sends one prepared request exactly as it is (method, URL, headers, the signed body
/// bytes), never following a redirect, giving up after `timeout` seconds. Throws
/// `TransportFailure` when there is no answer; any HTTP status, 3xx included, is an answer.
public protocol Transport: AnyObject, Sendable {
    func send(_ request: PreparedRequest, timeout: TimeInterval) async throws -> HttpResponse
}

/// The default transport: URLSession, with a delegate that refuses every redirect (the
/// 3xx comes back as the answer: a redirect would change the signed path) and every answer
/// body over `maxAnswerBytes` (16 MiB), as `TransportFailure(kind: .reset)`: a declared
/// larger length before its body is read, an undeclared one as soon as it goes over.
///
/// The session keeps its delegate, this transport, until it is invalidated: a transport
/// is freed only after `invalidate()`. An `Onboarding` invalidates the one it makes itself
/// when it is freed; one made by the caller is the caller's to invalidate.
public final class URLSessionTransport: NSObject, Transport, URLSessionDataDelegate, @unchecked Sendable {
    /// The largest answer body read: onboarding answers are a few kilobytes; a larger one
    /// (a proxy or captive portal streaming without end) is refused instead of filling the
    /// memory.
    public static let maxAnswerBytes = 16 * 1024 * 1024

    private var session: URLSession!
    private let lock = NSLock()
    private var invalidated = false
    /// The sends in flight by task identifier (under `lock`).
    private var pending: [Int: PendingAnswer] = [:]

    /// A transport with its own session of this configuration (ephemeral by default: no
    /// cookies, no cache, nothing written to disk).
    public init(configuration: URLSessionConfiguration = .ephemeral) {
        super.init()
        session = URLSession(configuration: configuration, delegate: self, delegateQueue: nil)
    }

    /// Lets the requests in flight finish, then releases the session (and with it this
    /// transport). A `send` afterwards throws `TransportFailure(kind: .notSent)`.
    public func invalidate() {
        lock.lock()
        let first = !invalidated
        invalidated = true
        lock.unlock()
        if first { session.finishTasksAndInvalidate() }
    }

    public func urlSession(
        _ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse,
        newRequest request: URLRequest, completionHandler: @escaping (URLRequest?) -> Void
    ) {
        completionHandler(nil)
    }

    public func send(_ request: PreparedRequest, timeout: TimeInterval) async throws -> HttpResponse {
        guard let url = URL(string: request.url()) else { throw TransportFailure(kind: .notSent) }
        var urlRequest = URLRequest(url: url, cachePolicy: .reloadIgnoringLocalCacheData, timeoutInterval: timeout)
        urlRequest.httpMethod = request.method()
        // URLSession sets Content-Length from the body itself.
        for header in request.headers() where header.name.caseInsensitiveCompare("Content-Length") != .orderedSame {
            urlRequest.setValue(header.value, forHTTPHeaderField: header.name)
        }
        let body = request.body()
        if !body.isEmpty { urlRequest.httpBody = body }
        let holder = TaskHolder()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<HttpResponse, Error>) in
                // A task of an invalidated session is an error: none once invalidate() ran.
                // The delegate collects the answer (below) and resumes the continuation.
                var created: URLSessionDataTask?
                lock.lock()
                if !invalidated {
                    let task = session.dataTask(with: urlRequest)
                    pending[task.taskIdentifier] = PendingAnswer(continuation)
                    created = task
                }
                lock.unlock()
                guard let task = created else {
                    continuation.resume(throwing: TransportFailure(kind: .notSent))
                    return
                }
                holder.set(task)
                task.resume()
            }
        } onCancel: {
            holder.cancel()
        }
    }

    /// The answer's head: a declared length over `maxAnswerBytes` cancels the task at once.
    public func urlSession(
        _ session: URLSession, dataTask: URLSessionDataTask, didReceive response: URLResponse,
        completionHandler: @escaping (URLSession.ResponseDisposition) -> Void
    ) {
        let refuse = response.expectedContentLength > Int64(Self.maxAnswerBytes)
        lock.lock()
        if let answer = pending[dataTask.taskIdentifier] {
            answer.response = response as? HTTPURLResponse
            answer.tooLarge = refuse
        }
        lock.unlock()
        completionHandler(refuse ? .cancel : .allow)
    }

    /// A part of the body: going over `maxAnswerBytes` cancels the task.
    public func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
        var refuse = false
        lock.lock()
        if let answer = pending[dataTask.taskIdentifier], !answer.tooLarge {
            if answer.body.count + data.count > Self.maxAnswerBytes {
                answer.tooLarge = true
                answer.body = Data()
                refuse = true
            } else {
                answer.body.append(data)
            }
        }
        lock.unlock()
        if refuse { dataTask.cancel() }
    }

    /// The end of a send: the answer, or why there is none.
    public func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: Error?) {
        lock.lock()
        let finished = pending.removeValue(forKey: task.taskIdentifier)
        lock.unlock()
        guard let answer = finished else { return }
        if answer.tooLarge {
            answer.continuation.resume(throwing: TransportFailure(kind: .reset))
        } else if let error = error as? URLError {
            answer.continuation.resume(throwing: error.code == .cancelled ? CancellationError() : TransportFailure(kind: Self.kind(of: error)))
        } else if error != nil {
            answer.continuation.resume(throwing: TransportFailure(kind: .reset))
        } else if let http = answer.response {
            let headers = http.allHeaderFields.compactMap { name, value -> HttpHeader? in
                guard let name = name as? String else { return nil }
                return HttpHeader(name: name, value: "\(value)")
            }
            answer.continuation.resume(returning: HttpResponse(status: http.statusCode, headers: headers, body: answer.body))
        } else {
            answer.continuation.resume(throwing: TransportFailure(kind: .reset))
        }
    }

    /// Connecting failures are `.notSent`: nothing reached the server.
    static func kind(of error: URLError) -> TransportErrorKind {
        switch error.code {
        case .cannotConnectToHost, .cannotFindHost, .dnsLookupFailed, .notConnectedToInternet,
             .badURL, .unsupportedURL, .secureConnectionFailed, .serverCertificateUntrusted,
             .serverCertificateHasBadDate, .serverCertificateNotYetValid, .serverCertificateHasUnknownRoot,
             .clientCertificateRejected, .clientCertificateRequired, .appTransportSecurityRequiresSecureConnection,
             .internationalRoamingOff, .dataNotAllowed, .callIsActive:
            return .notSent
        case .timedOut:
            return .timedOut
        default:
            return .reset
        }
    }
}

/// One send of a `URLSessionTransport` in flight: the continuation to resume, the answer's
/// head and the body so far (changed under the transport's lock).
private final class PendingAnswer {
    let continuation: CheckedContinuation<HttpResponse, Error>
    var response: HTTPURLResponse?
    var body = Data()
    var tooLarge = false

    init(_ continuation: CheckedContinuation<HttpResponse, Error>) {
        self.continuation = continuation
    }
}

/// The data task of one send, cancelled when the awaiting task is.
private final class TaskHolder: @unchecked Sendable {
    private let lock = NSLock()
    private var task: URLSessionTask?
    private var cancelled = false

    func set(_ task: URLSessionTask) {
        lock.lock()
        self.task = task
        let cancel = cancelled
        lock.unlock()
        if cancel { task.cancel() }
    }

    func cancel() {
        lock.lock()
        cancelled = true
        let task = self.task
        lock.unlock()
        task?.cancel()
    }
}

/// What a driver did, for logs and metrics: operations, path templates, statuses, reasons
/// and delays; never an id, a token, a body or personal data.
public enum OnboardingEvent: CustomStringConvertible {
    /// A request went out.
    case requestSent(operation: Operation, method: String, pathTemplate: String, attempt: UInt64)
    /// It was answered.
    case responseReceived(operation: Operation, status: Int, elapsedMs: UInt64)
    /// It got no answer.
    case transportFailed(operation: Operation, kind: TransportErrorKind, elapsedMs: UInt64)
    /// The flow waits: for Jiko, for a retry (`retryReason`), or for a login.
    case waiting(reason: FlowWaitReason, retryReason: RetryReason?, delayMs: UInt64)
    /// Jiko asked for documents.
    case documentsNeeded(requirements: [DocumentRequirement])
    /// `run` returned with this state (and the error's code, when there is one).
    case returned(state: FlowState, errorCode: String?)

    public var description: String {
        switch self {
        case let .requestSent(operation, method, pathTemplate, attempt):
            return "request sent: \(operation.wireValue()) \(method) \(pathTemplate) (attempt \(attempt))"
        case let .responseReceived(operation, status, elapsedMs):
            return "answered: \(operation.wireValue()) \(status) in \(elapsedMs) ms"
        case let .transportFailed(operation, kind, elapsedMs):
            return "no answer: \(operation.wireValue()) \(kind.wireValue()) after \(elapsedMs) ms"
        case let .waiting(reason, retryReason, delayMs):
            return "waiting: \(reason.wireValue())\(retryReason.map { " (\($0.wireValue()))" } ?? "") for \(delayMs) ms"
        case let .documentsNeeded(requirements):
            return "documents needed: \(requirements.map { $0.oneOf.map { $0.wireValue() }.joined(separator: " or ") }.joined(separator: "; "))"
        case let .returned(state, errorCode):
            return "returned: \(state.wireValue())\(errorCode.map { " (\($0))" } ?? "")"
        }
    }
}

/// One per partner: the configuration, the credentials and one shared login, used by
/// all of its flows.
public final class Onboarding: @unchecked Sendable {
    /// The request builder (signing secret inside): also usable directly.
    public let client: Client
    /// The engine's settings: the core's defaults unless given (`webhooks: true` when a
    /// receiver calls `notify()`).
    public let flowConfig: FlowConfig
    let authenticator: Authenticator
    let transport: Transport
    let listener: ((OnboardingEvent) -> Void)?
    let clock: () -> UInt64
    /// The transport this onboarding made itself, invalidated when the onboarding is freed
    /// (its flows hold the onboarding, so none is left then).
    private let ownTransport: URLSessionTransport?

    /// An onboarding that sends with `transport`, or without one with a
    /// `URLSessionTransport` of its own (ephemeral, redirects refused), invalidated when
    /// the onboarding is freed. A `URLSessionTransport` given here is the caller's to
    /// `invalidate()`.
    public convenience init(
        config: ClientConfig, credentials: Credentials, transport: Transport? = nil,
        flowConfig: FlowConfig = defaultFlowConfig(), listener: ((OnboardingEvent) -> Void)? = nil,
        clock: @escaping () -> UInt64 = { UInt64(max(0, Date().timeIntervalSince1970 * 1000)) }
    ) throws {
        try self.init(config: config, credentials: credentials, transport: transport, ownSession: .ephemeral,
                      flowConfig: flowConfig, listener: listener, clock: clock)
    }

    /// `Onboarding(config:credentials:session:)`: a `URLSessionTransport` of its own with
    /// this configuration, invalidated when the onboarding is freed.
    public convenience init(
        config: ClientConfig, credentials: Credentials, session: URLSessionConfiguration,
        flowConfig: FlowConfig = defaultFlowConfig(), listener: ((OnboardingEvent) -> Void)? = nil
    ) throws {
        try self.init(config: config, credentials: credentials, transport: nil, ownSession: session,
                      flowConfig: flowConfig, listener: listener)
    }

    private init(
        config: ClientConfig, credentials: Credentials, transport: Transport?, ownSession: URLSessionConfiguration,
        flowConfig: FlowConfig, listener: ((OnboardingEvent) -> Void)?,
        clock: @escaping () -> UInt64 = { UInt64(max(0, Date().timeIntervalSince1970 * 1000)) }
    ) throws {
        client = try Client(config: config, signingSecret: credentials.signingSecret)
        authenticator = try Authenticator(username: credentials.username, password: credentials.password)
        // After the steps that throw: a session made and then dropped is never invalidated.
        if let transport = transport {
            self.transport = transport
            ownTransport = nil
        } else {
            let own = URLSessionTransport(configuration: ownSession)
            self.transport = own
            ownTransport = own
        }
        self.flowConfig = flowConfig
        self.listener = listener
        self.clock = clock
    }

    deinit {
        ownTransport?.invalidate()
    }

    /// A flow for this application, validated now (a `JikoError.ValidationError`, and
    /// nothing is sent); nothing is sent until `run`. `today` (`YYYY-MM-DD`) defaults to
    /// the core's policy: the UTC date.
    public func start(_ application: CreateApplicationRequest, today: String? = nil) throws -> Flow {
        Flow(onboarding: self, engine: try OnboardingFlow.start(
            client: client, config: flowConfig, application: application, today: today, nowMs: clock()))
    }

    /// A flow continued from `Flow.snapshot()`. The application is needed again only
    /// while its Create has not been answered (`application_required`).
    public func resume(_ snapshot: String, application: CreateApplicationRequest? = nil) throws -> Flow {
        Flow(onboarding: self, engine: try OnboardingFlow.restore(
            client: client, config: flowConfig, snapshot: snapshot, application: application, today: nil))
    }

    func emit(_ event: OnboardingEvent) {
        listener?(event)
    }
}

/// One applicant's journey. `run` sends, retries, polls and sleeps until the journey
/// ends, documents are needed, or the next step is further away than `maxWait` seconds.
/// Cancelling the task that runs it reports the request in flight to the engine as
/// `.reset` first, so `snapshot()` stays valid. Calls of `run` take turns.
public final class Flow: @unchecked Sendable {
    private let onboarding: Onboarding
    private let engine: OnboardingFlow
    private let wake = WakeSignal()
    private let turn = AsyncLock()

    init(onboarding: Onboarding, engine: OnboardingFlow) {
        self.onboarding = onboarding
        self.engine = engine
    }

    /// The application's id, once created.
    public var applicationId: String? { engine.applicationId() }

    /// Whether the journey is over (approved, rejected or failed).
    public var isFinished: Bool { engine.isFinished() }

    /// Everything needed to continue: versioned JSON without personal data or secrets.
    public func snapshot() -> String { engine.snapshot() }

    /// Something happened (a webhook): the flow reads the application at once, waking a
    /// sleeping `run`.
    public func notify() {
        engine.notify(nowMs: onboarding.clock())
        wake.signal()
    }

    /// A document for Jiko's request, checked now, uploaded by the next `run`.
    public func provideDocument(_ documentType: DocumentType, contentType: String, data: Data) throws {
        try engine.provideDocument(documentType: documentType, contentType: contentType, bytes: data)
    }

    /// Runs the journey as far as it can go now. Throws only `CancellationError`.
    public func run(maxWait: TimeInterval = 60) async throws -> FlowResult {
        try await turn.lock()
        defer { turn.unlock() }
        while true {
            try Task.checkCancellation()
            let now = onboarding.clock()
            switch engine.poll(nowMs: now, auth: onboarding.authenticator) {
            case let .send(transmit):
                try await send(transmit)
            case let .wait(wait):
                let delay = wait.untilMs > now ? wait.untilMs - now : 0
                if Double(delay) > maxWait * 1000 { return finish() }
                onboarding.emit(.waiting(reason: wait.reason, retryReason: wait.retryReason, delayMs: delay))
                try await sleep(milliseconds: delay)
            case let .needDocuments(requirements):
                onboarding.emit(.documentsNeeded(requirements: requirements))
                return finish()
            case .done:
                return finish()
            }
        }
    }

    private func finish() -> FlowResult {
        let result = engine.result()
        onboarding.emit(.returned(state: result.state, errorCode: result.error?.code))
        return result
    }

    private func send(_ transmit: Transmit) async throws {
        let request = transmit.request
        onboarding.emit(.requestSent(operation: transmit.operation, method: request.method(),
                                     pathTemplate: transmit.operation.pathTemplate(), attempt: transmit.attempt))
        let sentAt = onboarding.clock()
        let response: HttpResponse
        do {
            response = try await withDeadline(milliseconds: transmit.timeoutMs) { [onboarding] in
                try await onboarding.transport.send(request, timeout: Double(transmit.timeoutMs) / 1000)
            }
            // The engine refuses a status outside 0...65535 before taking the answer, which
            // would leave the request outstanding: a transport's bug, reported as `.reset`
            // below like any other error of a transport.
            guard (0...65535).contains(response.status) else { throw InvalidStatus(status: response.status) }
        } catch let failure as TransportFailure {
            try failed(transmit, failure.kind, sentAt)
            return
        } catch {
            // Cancelled (or a transport error of another kind) while the request may be
            // on the wire: the engine counts the attempt as ambiguous before unwinding.
            try failed(transmit, .reset, sentAt)
            if Task.isCancelled || error is CancellationError { throw CancellationError() }
            return
        }
        let elapsed = onboarding.clock() &- sentAt
        onboarding.emit(.responseReceived(operation: transmit.operation, status: response.status, elapsedMs: elapsed))
        try engine.handleResponse(attempt: transmit.attempt, status: Int32(clamping: response.status), headers: response.headers,
                                  body: response.body, nowMs: onboarding.clock(), auth: onboarding.authenticator)
    }

    private func failed(_ transmit: Transmit, _ kind: TransportErrorKind, _ sentAt: UInt64) throws {
        onboarding.emit(.transportFailed(operation: transmit.operation, kind: kind, elapsedMs: onboarding.clock() &- sentAt))
        try engine.handleTransportError(attempt: transmit.attempt, kind: kind, nowMs: onboarding.clock(), auth: onboarding.authenticator)
    }

    /// Sleeps up to `milliseconds`, or until `notify()`.
    private func sleep(milliseconds: UInt64) async throws {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { try? await Task.sleep(nanoseconds: milliseconds.multipliedReportingOverflow(by: 1_000_000).partialValue) }
            group.addTask { [wake] in await wake.wait() }
            await group.next()
            group.cancelAll()
        }
        try Task.checkCancellation()
    }

    /// The transport's own timeout, bounded by the driver for a transport that has none.
    private func withDeadline<T: Sendable>(milliseconds: UInt64, _ body: @escaping @Sendable () async throws -> T) async throws -> T {
        try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask { try await body() }
            group.addTask {
                try await Task.sleep(nanoseconds: (milliseconds + 5_000) * 1_000_000)
                return nil
            }
            defer { group.cancelAll() }
            guard let first = try await group.next(), let value = first else {
                throw TransportFailure(kind: .timedOut)
            }
            return value
        }
    }
}

/// A wake-up that is not lost when it comes before the sleeper.
private final class WakeSignal: @unchecked Sendable {
    private let mutex = NSLock()
    private var pending = false
    private var waiter: CheckedContinuation<Void, Never>?

    func signal() {
        mutex.lock()
        if let waiter = waiter {
            self.waiter = nil
            mutex.unlock()
            waiter.resume()
        } else {
            pending = true
            mutex.unlock()
        }
    }

    func wait() async {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                mutex.lock()
                if pending || Task.isCancelled {
                    pending = false
                    mutex.unlock()
                    continuation.resume()
                } else {
                    waiter = continuation
                    mutex.unlock()
                }
            }
        } onCancel: {
            self.signal()
        }
    }
}

/// Calls of `Flow.run` take turns, first come first served.
private final class AsyncLock: @unchecked Sendable {
    private let mutex = NSLock()
    private var held = false
    private var waiters: [CheckedContinuation<Void, Never>] = []

    func lock() async throws {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            mutex.lock()
            if held {
                waiters.append(continuation)
                mutex.unlock()
            } else {
                held = true
                mutex.unlock()
                continuation.resume()
            }
        }
        if Task.isCancelled {
            unlock()
            throw CancellationError()
        }
    }

    func unlock() {
        mutex.lock()
        if waiters.isEmpty {
            held = false
            mutex.unlock()
        } else {
            let next = waiters.removeFirst()
            mutex.unlock()
            next.resume()
        }
    }
}

/// A custom transport's answer whose status is outside 0...65535.
private struct InvalidStatus: Error {
    let status: Int
}
