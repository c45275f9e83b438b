// A small layer over the Swift that uniffi generates (JikoOnboarding.swift for the
// binding's functions and objects, JikoOnboardingCore.swift for the core's types). It adds no
// logic: it reads the fields every error case already carries, and writes a Date as the
// `YYYY-MM-DD` text the core checks. (Not compiled on the Linux machine that builds the
// rest of the binding: there is no Swift toolchain there.)
import Foundation

// The generated enum defines `description` (the core's message) without declaring the
// conformance; declaring it makes `"\(error)"` and `String(describing:)` use it.
extension JikoError: CustomStringConvertible {}

public extension JikoError {
    /// The stable code: `validation_failed`, `api_<kind>`, `empty`, `too_large`,
    /// `wrong_type`, a webhook or flow code, `transport_<kind>`, or an argument code such
    /// as `invalid_idempotency_key`.
    var code: String {
        switch self {
        case let .ValidationError(code, _, _): return code
        case let .ApiError(code, _, _, _, _, _): return code
        case let .DocumentError(code, _, _): return code
        case let .WebhookError(code, _, _): return code
        case let .FlowError(code, _, _, _): return code
        case let .TransportError(code, _, _): return code
        case let .InvalidArgumentError(code, _): return code
        }
    }

    /// What went wrong, without any rejected value, body text or secret.
    var detail: String {
        switch self {
        case let .ValidationError(_, detail, _): return detail
        case let .ApiError(_, detail, _, _, _, _): return detail
        case let .DocumentError(_, detail, _): return detail
        case let .WebhookError(_, detail, _): return detail
        case let .FlowError(_, detail, _, _): return detail
        case let .TransportError(_, detail, _): return detail
        case let .InvalidArgumentError(_, detail): return detail
        }
    }

    /// The field errors of a validation error or of the server's 422; otherwise empty.
    var fieldErrors: [FieldError] {
        switch self {
        case let .ValidationError(_, _, errors): return errors
        case let .ApiError(_, _, _, _, errors, _): return errors
        default: return []
        }
    }
}

/// A date as `YYYY-MM-DD` in the given calendar (the device's by default): the `today`
/// argument of `validateApplication` and `Client.createApplication`.
public func jikoCalendarDate(_ date: Date = Date(), calendar: Calendar = .current) -> String {
    let parts = calendar.dateComponents([.year, .month, .day], from: date)
    return String(format: "%04d-%02d-%02d", parts.year ?? 0, parts.month ?? 0, parts.day ?? 0)
}
