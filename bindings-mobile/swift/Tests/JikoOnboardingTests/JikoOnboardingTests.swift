// XCTest checks of the Swift package, for macOS (`swift test` after
// scripts/build-xcframework.sh). They were written on Linux without a Swift compiler and
// have not been compiled or run; the same behaviour is tested on the JVM in
// bindings-mobile/kotlin (every shared vector) and in the Rust core.
import Foundation
import XCTest
@testable import JikoOnboarding

final class JikoOnboardingTests: XCTestCase {
    let key = "123e4567-e89b-42d3-a456-426614174000"

    func guideExample(ssn: String = "999999999") -> CreateApplicationRequest {
        CreateApplicationRequest(
            identificationNumber: ssn,
            identificationType: nil,
            name: Name(firstName: "Jiko", middleName: nil, lastName: "Customer"),
            email: "jiko@example.com",
            phoneNumber: "15551234567",
            dateOfBirth: "1970-01-01",
            investmentProfile: InvestmentProfile(
                employmentStatus: .employed, income: .between100kAnd250k, netWorth: .between1mAnd5m,
                occupation: "Investor", bdAssociation: nil, directorPolicyMakerOfCompany: nil),
            agreementConsent: AgreementConsent(version: "1", timestamp: "2023-01-01T12:00:00+00:00"),
            address: Address(
                streetAddress: "2000 Allston Way", streetAddress2: nil, city: "Berkeley",
                postalCode: "94701", state: "CA", country: "USA"),
            citizenshipCountry: nil,
            originallyOnboardedAt: nil)
    }

    func testVersion() {
        XCTAssertEqual(version(), "0.1.0")
    }

    func testSigningVector() throws {
        let signer = try Signer(secret: "sandbox-shared-secret")
        let signature = signer.sign(idempotencyKey: key, path: "/api/v1/agreements/", body: Data())
        XCTAssertEqual(signature, "0tVysTJM2Up7DBbPzjcTM5WCfdgJYNOK3yYBueF/oG0=")
        XCTAssertTrue(signer.verify(idempotencyKey: key, path: "/api/v1/agreements/", body: Data(), signature: signature))
        XCTAssertFalse(String(describing: signer).contains("sandbox-shared-secret"))
    }

    func testValidationReportsEveryProblem() throws {
        XCTAssertEqual(try validateApplication(application: guideExample(), today: "2026-11-27"), [])
        let errors = try validateApplication(application: guideExample(ssn: "999-99-9999"), today: jikoCalendarDate())
        XCTAssertEqual(errors.map { $0.code }, ["invalid_ssn"])
        XCTAssertFalse(String(describing: guideExample()).contains("999999999"))
    }

    func testErrorsCarryTheirCode() throws {
        let client = try Client(config: .baseUrl("http://127.0.0.1:8080"), signingSecret: "secret")
        XCTAssertThrowsError(try client.apply(token: "tok", applicationId: "../login", idempotencyKey: nil)) { error in
            XCTAssertEqual((error as? JikoError)?.code, "invalid_application_id")
        }
        XCTAssertThrowsError(try parseApplication(status: 429, body: Data(), retryAfter: "30")) { error in
            guard case let .ApiError(code, _, status, kind, _, retryAfterSeconds)? = error as? JikoError else {
                return XCTFail("not an API error")
            }
            XCTAssertEqual(code, "api_rate_limited")
            XCTAssertEqual(status, 429)
            XCTAssertEqual(kind, .rateLimited)
            XCTAssertEqual(retryAfterSeconds, 30)
        }
    }

    func testNextAction() throws {
        let body = Data(#"{"id": "0b7b1c9e-3c1a-4f0e-9a57-2f4f1d6d2a10", "status": "DOCUMENTS_NEEDED", "address_verification_document_needed": true}"#.utf8)
        let application = try parseApplication(status: 200, body: body, retryAfter: nil)
        let action = nextAction(application: application)
        XCTAssertEqual(action.kind(), "upload_documents")
        guard case let .uploadDocuments(requirements) = action else { return XCTFail("\(action.kind())") }
        XCTAssertEqual(requirements.map { $0.oneOf }, [[.addressVerification]])
        XCTAssertEqual(nextAction(application: try parseApplication(
            status: 200, body: Data(#"{"id": "x", "status": "ON_HOLD"}"#.utf8), retryAfter: nil)), .unknown(status: "ON_HOLD"))
    }

    func testPreparedRequest() throws {
        let client = try Client(config: .hosted(environment: .sandbox, partner: "acme"), signingSecret: "secret")
        let request = try client.listAgreements(token: "tok", idempotencyKey: key)
        XCTAssertEqual(request.method(), "GET")
        XCTAssertEqual(request.url(), "https://acme.sandbox-api.jikoservices.com/api/v1/agreements/")
        XCTAssertEqual(request.headers().map { $0.name }, ["Authorization", "x-jiko-idempotency", "x-jiko-signature"])
        XCTAssertFalse(String(describing: request).contains("Bearer"))
    }
}
