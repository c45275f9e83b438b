// The quickstart of docs/kotlin.md: one applicant onboarded end to end against the local
// simulator (login, agreements, create, apply, documents, approval), printing the new
// account's routing and account numbers masked. Run by QuickstartTest.
// Usage: Quickstart <simulator base URL> <a PNG to upload>
package jiko.onboarding.examples

import jiko.onboarding.*
import jiko.onboarding.core.*
import java.io.File
import kotlinx.coroutines.runBlocking

fun main(args: Array<String>) = runBlocking {
    val onboarding = Onboarding(ClientConfig.BaseUrl(args[0]), Credentials("sandbox-user", "sandbox-password", "sandbox-signing-secret"))
    val flow = onboarding.start(CreateApplicationRequest(
        identificationNumber = "212345678", name = Name("Ada", lastName = "Lovelace"), email = "ada@example.com",
        phoneNumber = "+14155550100", dateOfBirth = "1980-02-29", agreementConsent = AgreementConsent("1.0.0", "2026-01-01T12:00:00Z"),
        investmentProfile = InvestmentProfile(EmploymentStatus.Retired, AnnualIncome.Below50k, NetWorth.Below50k),
        address = Address("1 Main Street", city = "Berkeley", postalCode = "94701", state = "CA", country = "US")))
    var result = flow.run()
    while (result.state == FlowState.DOCUMENTS_NEEDED) {
        result.requirements.forEach { flow.provideDocument(it.oneOf.first(), "image/png", File(args[1]).readBytes()) }
        result = flow.run()
    }
    val portal = result.customer!!.accounts.first().portals.first()
    println("${result.state}: routing ${maskNumber(portal.routingNumber)}, account ${maskNumber(portal.accountNumber)}")
}
