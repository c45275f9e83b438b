//! Wire types of the onboarding endpoints, with the API's exact field names.
//!
//! Requests are what the partner fills in; responses are what Jiko sends back. Each
//! record is declared once, with `wire_struct!` (see [`crate::schema`]): its fields, in
//! wire order, give its JSON, its decoder and the table validation walks. Decoding
//! ignores unknown fields and keeps unknown enum values. `Debug` never prints personal
//! data: types that carry it print their name and non-personal fields only.

use serde::{Deserialize, Serialize};
use std::fmt;

use crate::decode::{FromJson, Mismatch};
use crate::open_enum::open_enum;
use crate::schema::{wire_struct, Kind, WireKind};

/// Writes `Type { field: value, .. }` with only the listed (non-personal) fields.
macro_rules! redacted_debug {
    ($ty:ident $(, $field:ident)*) => {
        impl fmt::Debug for $ty {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.debug_struct(stringify!($ty))
                    $(.field(stringify!($field), &self.$field))*
                    .finish_non_exhaustive()
            }
        }
    };
}

open_enum! {
    /// Status of an individual application (`ApplicationStatus`).
    pub enum ApplicationStatus {
        /// Created; call Apply.
        Created => "CREATED",
        /// Documents were provided and every flag is clear; call Apply again.
        Pending => "PENDING",
        /// Automatic KYC is running.
        Submitted => "SUBMITTED",
        /// Documents must be uploaded; the flags say which.
        DocumentsNeeded => "DOCUMENTS_NEEDED",
        /// A customer was created.
        Approved => "APPROVED",
        /// Final.
        Rejected => "REJECTED",
        /// A person is reviewing the application.
        ManualReview => "MANUAL_REVIEW",
    }
}

open_enum! {
    /// What `identification_number` holds (`ApplicationIdentificationType`); SSN when absent.
    pub enum IdentificationType {
        /// Social Security number: nine digits.
        Ssn => "SSN",
        /// Passport number.
        Passport => "PASSPORT",
        /// Tax identification number.
        Tin => "TIN",
        /// Driver's licence number.
        DriversLicense => "DRIVERS_LICENSE",
    }
}

open_enum! {
    /// The discriminator of the investment profile.
    pub enum EmploymentStatus {
        /// Employed: `occupation` is required (2 to 200 characters).
        Employed => "EMPLOYED",
        /// Self-employed.
        Independent => "INDEPENDENT",
        /// Retired.
        Retired => "RETIRED",
        /// Student.
        Student => "STUDENT",
        /// Unemployed.
        Unemployed => "UNEMPLOYED",
    }
}

open_enum! {
    /// Estimated annual personal income in USD (`AnnualPersonalIncome`).
    pub enum AnnualIncome {
        /// Below 50K.
        Below50k => "BELOW_50K",
        /// 50K to 100K.
        Between50kAnd100k => "BETWEEN_50K_AND_100K",
        /// 100K to 250K.
        Between100kAnd250k => "BETWEEN_100K_AND_250K",
        /// Over 250K.
        Over250k => "OVER_250K",
    }
}

open_enum! {
    /// Estimated average personal net worth in USD (`AveragePersonalNetWorth`).
    pub enum NetWorth {
        /// Below 50K.
        Below50k => "BELOW_50K",
        /// 50K to 200K.
        Between50kAnd200k => "BETWEEN_50K_AND_200K",
        /// 200K to 1M.
        Between200kAnd1m => "BETWEEN_200K_AND_1M",
        /// 1M to 5M.
        Between1mAnd5m => "BETWEEN_1M_AND_5M",
        /// Over 5M.
        Over5m => "OVER_5M",
    }
}

open_enum! {
    /// Kind of an uploaded or requested document (`DocumentType`).
    pub enum DocumentType {
        /// Front of a government ID.
        IdFront => "ID_FRONT",
        /// Back of a government ID.
        IdBack => "ID_BACK",
        /// A photo of the applicant.
        Selfie => "SELFIE",
        /// Proof of the identification number (SSN card, W-2, tax return).
        IdentificationNumberVerification => "IDENTIFICATION_NUMBER_VERIFICATION",
        /// Proof of address (utility bill, bank statement, lease, ...).
        AddressVerification => "ADDRESS_VERIFICATION",
        /// Passport.
        Passport => "PASSPORT",
        /// Business: EIN confirmation.
        EinConfirmation => "EIN_CONFIRMATION",
        /// Business: operating agreement.
        OperatingAgreement => "OPERATING_AGREEMENT",
        /// Business: partnership agreement.
        PartnershipAgreement => "PARTNERSHIP_AGREEMENT",
        /// Business: articles of incorporation.
        ArticlesOfIncorporation => "ARTICLES_OF_INCORPORATION",
        /// Business: bylaws.
        Bylaws => "BYLAWS",
        /// Business: proof of 501 status.
        ProofOf501Status => "PROOF_OF_501_STATUS",
        /// Business: articles of association.
        ArticlesOfAssociation => "ARTICLES_OF_ASSOCIATION",
        /// Business: corporate charter.
        CorporateCharter => "CORPORATE_CHARTER",
        /// Business: trust formation records.
        TrustFormationRecords => "TRUST_FORMATION_RECORDS",
        /// Business: list of trustees.
        ListOfTrustees => "LIST_OF_TRUSTEES",
        /// Business: legal analysis of the business model.
        LegalAnalysisOfBusinessModel => "LEGAL_ANALYSIS_OF_BUSINESS_MODEL",
        /// Business: coins and tokens listed and offered.
        CoinsAndTokensListedAndOffered => "COINS_AND_TOKENS_LISTED_AND_OFFERED",
        /// Business: coin rating policy and procedures.
        CoinRatingPolicyAndProcedures => "COIN_RATING_POLICY_AND_PROCEDURES",
        /// Business: type of blockchain analytics used.
        TypeOfBlockchainAnalyticsUsed => "TYPE_OF_BLOCKCHAIN_ANALYTICS_USED",
        /// Business: market manipulation policy.
        MarketManipulationPolicy => "MARKET_MANIPULATION_POLICY",
        /// Business: BSA/AML/OFAC policies.
        BsaAmlOfacPolicies => "BSA_AML_OFAC_POLICIES",
        /// Business: independent AML audit report.
        IndependentAmlAuditReport => "INDEPENDENT_AML_AUDIT_REPORT",
        /// Business: BSA/AML/OFAC internal risk assessment.
        BsaAmlOfacInternalRiskAssessment => "BSA_AML_OFAC_INTERNAL_RISK_ASSESSMENT",
        /// Business: articles of organization.
        ArticlesOfOrganization => "ARTICLES_OF_ORGANIZATION",
        /// Business: flow of funds.
        FlowOfFunds => "FLOW_OF_FUNDS",
        /// Business: bank statements (1).
        BankStatements1 => "BANK_STATEMENTS_1",
        /// Business: bank statements (2).
        BankStatements2 => "BANK_STATEMENTS_2",
        /// Business: bank statements (3).
        BankStatements3 => "BANK_STATEMENTS_3",
        /// Wire counterparty verification.
        WireCounterpartyVerification => "WIRE_COUNTERPARTY_VERIFICATION",
        /// Anything else.
        Other => "OTHER",
    }
}

open_enum! {
    /// Review state of a document (`DocumentStatus`).
    pub enum DocumentStatus {
        /// Requested, not uploaded yet.
        PendingUpload => "PENDING_UPLOAD",
        /// Uploaded, being reviewed.
        PendingReview => "PENDING_REVIEW",
        /// Accepted.
        Approved => "APPROVED",
        /// Refused; upload again.
        Invalid => "INVALID",
    }
}

open_enum! {
    /// Kind of agreement in the bundle (`AgreementType`).
    pub enum AgreementType {
        /// Privacy policy.
        PrivacyPolicy => "PRIVACY_POLICY",
        /// Privacy notice.
        PrivacyNotice => "PRIVACY_NOTICE",
        /// Business continuity plan.
        BusinessContinuityPlan => "BUSINESS_CONTINUITY_PLAN",
        /// Financial statement.
        FinancialStatement => "FINANCIAL_STATEMENT",
        /// US Treasuries risk disclosure.
        UsTreasuriesRisk => "US_TREASURIES_RISK",
        /// Electronic communications consent.
        ElectronicCommunications => "ELECTRONIC_COMMUNICATIONS",
        /// Tax certification for a US person.
        TaxCertificationForUsPerson => "TAX_CERTIFICATION_FOR_US_PERSON",
        /// Bank account agreement.
        BankAccount => "BANK_ACCOUNT",
        /// Limitations.
        Limitations => "LIMITATIONS",
        /// Brokerage agreement.
        Brokerage => "BROKERAGE",
        /// Card agreement.
        Card => "CARD",
        /// Cashback terms.
        Cashback => "CASHBACK",
        /// Form CRS.
        FormCrs => "FORM_CRS",
        /// Authorized representative certification.
        AuthorizedRepresentativeCertification => "AUTHORIZED_REPRESENTATIVE_CERTIFICATION",
        /// Terms of use.
        TermsOfUse => "TERMS_OF_USE",
        /// Electronic fund transfers.
        ElectronicFundTransfers => "ELECTRONIC_FUND_TRANSFERS",
        /// Truth in savings.
        TruthInSavings => "TRUTH_IN_SAVINGS",
        /// Fee notice.
        FeeNotice => "FEE_NOTICE",
        /// Funds availability.
        FundsAvailability => "FUNDS_AVAILABILITY",
        /// Regulation E.
        RegulationE => "REGULATION_E",
    }
}

open_enum! {
    /// Category of an agreement (`AgreementCategory`).
    pub enum AgreementCategory {
        /// Bank.
        Bank => "BANK",
        /// Brokerage.
        Brokerage => "BROKERAGE",
        /// General.
        General => "GENERAL",
        /// Electronic signature consent (spelled with a hyphen on the wire).
        ESign => "E-SIGN",
    }
}

wire_struct! {
    /// The applicant's name (`Name`).
    #[derive(Clone, PartialEq, Eq, Serialize)]
    #[cfg_attr(feature = "tsify", derive(tsify::Tsify))]
    #[cfg_attr(feature = "uniffi", derive(uniffi::Record), uniffi::export(Debug))]
    pub struct Name, "a name" {
        /// Given name.
        first_name: String, required, max 50;
        /// Middle name, if any.
        middle_name: String, optional, max 50;
        /// Family name.
        last_name: String, required, max 50;
    }
}
redacted_debug!(Name);

wire_struct! {
    /// A residential address (`ISOAddress`).
    #[derive(Clone, PartialEq, Eq, Serialize)]
    #[cfg_attr(feature = "tsify", derive(tsify::Tsify))]
    #[cfg_attr(feature = "uniffi", derive(uniffi::Record), uniffi::export(Debug))]
    pub struct Address, "an address" {
        /// Street and number.
        street_address: String, required, max 250;
        /// Apartment, suite or box.
        street_address2: String, optional, max 250;
        /// City.
        city: String, required, max 250;
        /// Postal code; 5 or 5+4 digits in the US.
        postal_code: String, required, max 50, format PostalCode;
        /// USPS state code; required in the US.
        state: String, optional, format UsState;
        /// ISO 3166 country code (`US`; the guide's example sends `USA`).
        country: String, required, format Country;
    }
}
redacted_debug!(Address);

wire_struct! {
    /// Time-stamped consent to a version of the agreement bundle (`AgreementConsent`).
    #[derive(Clone, Debug, PartialEq, Eq, Serialize)]
    #[cfg_attr(feature = "tsify", derive(tsify::Tsify))]
    #[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
    pub struct AgreementConsent, "an agreement consent" {
        /// The `version` returned by List Agreements.
        version: String, required;
        /// When the applicant consented: RFC 3339 with an offset.
        timestamp: String, required, format DateTime;
    }
}

wire_struct! {
    /// Suitability data (`InvestmentProfile`).
    ///
    /// On the wire this is a `oneOf` tagged by `employment_status`. The five variants share
    /// every field and differ only in whether `occupation` is required (EMPLOYED: 2 to 200
    /// characters), which validation enforces. One struct with an open discriminator keeps a
    /// profile with a status this SDK does not know decodable, instead of failing.
    #[derive(Clone, PartialEq, Eq, Serialize)]
    #[cfg_attr(feature = "tsify", derive(tsify::Tsify))]
    #[cfg_attr(feature = "uniffi", derive(uniffi::Record), uniffi::export(Debug))]
    pub struct InvestmentProfile, "an investment profile" {
        /// The tag of the union.
        employment_status: EmploymentStatus, required;
        /// Annual income range.
        income: AnnualIncome, required;
        /// Net worth range.
        net_worth: NetWorth, required;
        /// Occupation: required when EMPLOYED.
        occupation: String, optional, max 200, format Occupation;
        /// Broker-dealer association to disclose, if any.
        bd_association: String, optional, max 200;
        /// Company where the applicant is a director or policy maker, if any.
        director_policy_maker_of_company: String, optional, max 200;
    }
}
redacted_debug!(InvestmentProfile, employment_status);

wire_struct! {
    /// The body of Create Application (`InternationalApplicationRequest`). Its fields, in
    /// this order, are the body's.
    #[derive(Clone, PartialEq, Eq, Serialize)]
    #[cfg_attr(feature = "tsify", derive(tsify::Tsify))]
    #[cfg_attr(feature = "uniffi", derive(uniffi::Record), uniffi::export(Debug))]
    pub struct CreateApplicationRequest, "an application request" {
        /// The number `identification_type` names; nine digits for an SSN.
        identification_number: String, required, format IdentificationNumber;
        /// What `identification_number` holds; SSN when absent.
        identification_type: IdentificationType, optional;
        /// Applicant's name.
        name: Name, required;
        /// E-mail address, whose ownership the partner verified.
        email: String, required, max 254, format Email;
        /// Phone number, E.164 (`+14155550100`); whose ownership the partner verified.
        phone_number: String, required, format Phone;
        /// Calendar date of birth, `YYYY-MM-DD`.
        date_of_birth: String, required, format DateOfBirth;
        /// Suitability data.
        investment_profile: InvestmentProfile, required;
        /// Consent to the agreement bundle.
        agreement_consent: AgreementConsent, required;
        /// Residential address.
        address: Address, required;
        /// ISO 3166 alpha-2 citizenship; the server assumes `US` when absent.
        citizenship_country: String, optional, format Country;
        /// When the applicant was first onboarded by the partner (RFC 3339).
        originally_onboarded_at: String, optional, format DateTime;
    }
}
redacted_debug!(CreateApplicationRequest, identification_type);

/// The nested date of birth of an application response: `{"date_of_birth": "YYYY-MM-DD"}`.
///
/// The request sends the date flat; the response nests it. Decoding accepts both.
#[derive(Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "tsify", derive(tsify::Tsify))]
pub struct DateOfBirth {
    /// Calendar date, `YYYY-MM-DD`.
    pub date_of_birth: String,
}
redacted_debug!(DateOfBirth);

impl WireKind for DateOfBirth {
    const KIND: Kind = Kind::Any;
}

impl FromJson for DateOfBirth {
    /// The flat string of requests, or the nested object of responses.
    fn from_json(value: &serde_json::Value) -> Result<Self, Mismatch> {
        let nested = value.as_object().and_then(|o| o.get("date_of_birth"));
        nested
            .unwrap_or(value)
            .as_str()
            .map(|date| DateOfBirth {
                date_of_birth: date.to_owned(),
            })
            .ok_or(Mismatch("a date string or {\"date_of_birth\": date}"))
    }
}

impl<'de> Deserialize<'de> for DateOfBirth {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        crate::decode::deserialize(d)
    }
}

wire_struct! {
    /// A document request or upload attached to an application (`Document`). `Debug`
    /// leaves out the file name and the exception reason, which may name the applicant.
    #[derive(Clone, PartialEq, Eq, Serialize)]
    #[cfg_attr(feature = "tsify", derive(tsify::Tsify))]
    #[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
    pub struct Document, "a document" {
        /// Document id.
        id: String, required;
        /// Kind of document.
        document_type: DocumentType = "type", required;
        /// Review state.
        status: DocumentStatus, required;
        /// Why the document was refused, if it was.
        exception_reason: String, optional;
        /// Uploaded file name.
        name: String, optional;
    }
}
redacted_debug!(Document, id, document_type, status);

/// An individual application as the server returns it (`InternationalApplication`).
///
/// Absent optional fields are `None` and are left out when encoding; `customer_id` is
/// `None` until the application is APPROVED (the server may send it absent or `null`).
#[derive(Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "tsify", derive(tsify::Tsify))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record), uniffi::export(Debug))]
pub struct Application {
    /// Application id (a UUID).
    pub id: String,
    /// Where the application stands.
    pub status: ApplicationStatus,
    /// Creation time, RFC 3339.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time_created: Option<String>,
    /// Last update time, RFC 3339.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated_at: Option<String>,
    /// Applicant's name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<Name>,
    /// Applicant's e-mail.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// Applicant's phone (may come back without the `+`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone_number: Option<String>,
    /// Date of birth, nested as the response sends it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date_of_birth: Option<DateOfBirth>,
    /// Suitability data.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub investment_profile: Option<InvestmentProfile>,
    /// Consent sent with the application.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agreement_consent: Option<AgreementConsent>,
    /// Residential address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<Address>,
    /// Citizenship.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub citizenship_country: Option<String>,
    /// The customer created on approval.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer_id: Option<String>,
    /// Requested and uploaded documents.
    pub documents: Vec<Document>,
    /// Free-text reasons attached by KYC.
    pub exception_reasons: Vec<String>,
    /// ID_FRONT, ID_BACK, and SELFIE or PASSPORT are needed.
    pub id_verification_documents_needed: bool,
    /// IDENTIFICATION_NUMBER_VERIFICATION is needed. The guide spells this flag
    /// `identification_number_document_needed`; decoding accepts both spellings.
    pub identification_number_verification_document_needed: bool,
    /// ADDRESS_VERIFICATION is needed.
    pub address_verification_document_needed: bool,
}

impl fmt::Debug for Application {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Application")
            .field("id", &self.id)
            .field("status", &self.status)
            .field("customer_id", &self.customer_id)
            .field(
                "id_verification_documents_needed",
                &self.id_verification_documents_needed,
            )
            .field(
                "identification_number_verification_document_needed",
                &self.identification_number_verification_document_needed,
            )
            .field(
                "address_verification_document_needed",
                &self.address_verification_document_needed,
            )
            .field("documents", &self.documents)
            .finish_non_exhaustive()
    }
}

wire_struct! {
    /// The decoding shape of [`Application`]: both spellings of the identification-number
    /// flag, and a missing key or `null` read as absent, empty or false.
    struct ApplicationWire, "an application" {
        id: String, required;
        status: ApplicationStatus, required;
        time_created: Option<String>, null_default;
        updated_at: Option<String>, null_default;
        name: Option<Name>, null_default;
        email: Option<String>, null_default;
        phone_number: Option<String>, null_default;
        date_of_birth: Option<DateOfBirth>, null_default;
        investment_profile: Option<InvestmentProfile>, null_default;
        agreement_consent: Option<AgreementConsent>, null_default;
        address: Option<Address>, null_default;
        citizenship_country: Option<String>, null_default;
        customer_id: Option<String>, null_default;
        documents: Vec<Document>, null_default;
        exception_reasons: Vec<String>, null_default;
        id_verification_documents_needed: bool, null_default;
        identification_number_verification_document_needed: bool, null_default;
        identification_number_document_needed: bool, null_default;
        address_verification_document_needed: bool, null_default;
    }
}

impl From<ApplicationWire> for Application {
    fn from(w: ApplicationWire) -> Self {
        Application {
            id: w.id,
            status: w.status,
            time_created: w.time_created,
            updated_at: w.updated_at,
            name: w.name,
            email: w.email,
            phone_number: w.phone_number,
            date_of_birth: w.date_of_birth,
            investment_profile: w.investment_profile,
            agreement_consent: w.agreement_consent,
            address: w.address,
            citizenship_country: w.citizenship_country,
            customer_id: w.customer_id,
            documents: w.documents,
            exception_reasons: w.exception_reasons,
            id_verification_documents_needed: w.id_verification_documents_needed,
            identification_number_verification_document_needed: w
                .identification_number_verification_document_needed
                || w.identification_number_document_needed,
            address_verification_document_needed: w.address_verification_document_needed,
        }
    }
}

impl FromJson for Application {
    fn from_json(value: &serde_json::Value) -> Result<Self, Mismatch> {
        ApplicationWire::from_json(value).map(Application::from)
    }
}

impl<'de> Deserialize<'de> for Application {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        crate::decode::deserialize(d)
    }
}

wire_struct! {
    /// One document of the agreement bundle (`AgreementDocument`).
    #[derive(Clone, Debug, PartialEq, Eq, Serialize)]
    #[cfg_attr(feature = "tsify", derive(tsify::Tsify))]
    #[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
    pub struct AgreementDocument, "an agreement document" {
        /// Title to show the user.
        title: String, required;
        /// Where the PDF is.
        pdf_download_url: String, required;
        /// Kind of agreement.
        agreement_type: AgreementType = "type", required;
        /// Category.
        category: AgreementCategory, required;
    }
}

wire_struct! {
    /// The versioned agreement bundle (`Agreement`). Show it, record consent with `version`.
    #[derive(Clone, Debug, PartialEq, Eq, Serialize)]
    #[cfg_attr(feature = "tsify", derive(tsify::Tsify))]
    #[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
    pub struct Agreements, "an agreement bundle" {
        /// The version to put in `agreement_consent.version`.
        version: String, required;
        /// Release date, `YYYY-MM-DD`.
        release_date: String, required;
        /// The documents of the bundle.
        documents: Vec<AgreementDocument>, required;
    }
}

wire_struct! {
    /// The answer to an upload (`UploadDocumentResponse`).
    #[derive(Clone, Debug, PartialEq, Eq, Serialize)]
    #[cfg_attr(feature = "tsify", derive(tsify::Tsify))]
    #[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
    pub struct UploadedDocument, "an upload result" {
        /// Whether the server stored the file.
        success: bool, required;
        /// Id of the stored document.
        document_id: String, required;
    }
}

wire_struct! {
    /// The body of a 422 (`HTTPValidationError`).
    #[derive(Clone, Debug, PartialEq, Eq, Serialize)]
    pub struct HttpValidationError, "a validation error body" {
        /// The field errors; FastAPI sends a string here for other errors.
        detail: Vec<ServerFieldError>, default;
    }
}

wire_struct! {
    /// One entry of a 422 body (`ValidationError` in the API reference).
    #[derive(Clone, Debug, PartialEq, Eq, Serialize)]
    pub struct ServerFieldError, "a field error" {
        /// Location: `["body", "address", "postal_code"]`; items are strings or integers.
        loc: Vec<LocItem>, required;
        /// The server's message. Not copied into SDK errors: it may echo the value.
        msg: String, required;
        /// The server's error type, such as `value_error.missing`.
        error_type: String = "type", required;
    }
}

/// An item of a 422 location.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum LocItem {
    /// A field name.
    Field(String),
    /// An array index.
    Index(u64),
}

impl WireKind for LocItem {
    const KIND: Kind = Kind::Any;
}

impl FromJson for LocItem {
    /// A string or a non-negative integer.
    fn from_json(value: &serde_json::Value) -> Result<Self, Mismatch> {
        match value {
            serde_json::Value::String(name) => Ok(LocItem::Field(name.clone())),
            other => other
                .as_u64()
                .map(LocItem::Index)
                .ok_or(Mismatch("a field name or an index")),
        }
    }
}

impl<'de> Deserialize<'de> for LocItem {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        crate::decode::deserialize(d)
    }
}

#[cfg(feature = "signing")]
pub(crate) use login::{LoginBody, LoginResponse};

/// Login's wire records: only with the `signing` feature, which has the client and the
/// session.
#[cfg(feature = "signing")]
mod login {
    use super::*;

    /// The body of Login (`LoginInput`). Built by the client; the password is not kept.
    #[derive(Serialize)]
    pub(crate) struct LoginBody<'a> {
        pub username: &'a str,
        pub password: &'a str,
    }

    wire_struct! {
        /// The answer to Login (`LoginResponse`), before it becomes a [`crate::Session`].
        pub(crate) struct LoginResponse, "a login response" {
            token: String, required;
            expires: String, required;
        }
    }
}
