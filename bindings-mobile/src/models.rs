//! Records mirroring the core's wire models, with conversions both ways.
//!
//! Records that carry personal data (names, addresses, dates of birth, e-mail, phone,
//! identification numbers) export `Display` and `Debug` from the core's redacted `Debug`,
//! so Kotlin's data-class `toString()` and Swift's `description` / `debugDescription`
//! print the type and its non-personal fields only. JSON encoding and decoding go through
//! the core's serde models, so the wire form is the core's.

use std::fmt;

use jiko_onboarding as core;

use crate::enums::{
    AgreementCategory, AgreementType, AnnualIncome, ApplicationStatus, DocumentFlag,
    DocumentStatus, DocumentType, EmploymentStatus, IdentificationType, NetWorth,
};
use crate::JikoError;

/// Implements `Debug` and `Display` by converting to the core model and using its
/// redacted `Debug`.
macro_rules! redacted_through_core {
    ($($ty:ident),+ $(,)?) => {
        $(
            impl fmt::Debug for $ty {
                fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                    fmt::Debug::fmt(&core::$ty::from(self.clone()), f)
                }
            }

            impl fmt::Display for $ty {
                fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                    fmt::Debug::fmt(&core::$ty::from(self.clone()), f)
                }
            }
        )+
    };
}

/// The applicant's name. Each part is at most 50 characters.
#[derive(Clone, PartialEq, Eq, uniffi::Record)]
#[uniffi::export(Debug, Display)]
pub struct Name {
    /// Given name.
    pub first_name: String,
    /// Middle name, if any.
    #[uniffi(default = None)]
    pub middle_name: Option<String>,
    /// Family name.
    pub last_name: String,
}

impl From<core::Name> for Name {
    fn from(n: core::Name) -> Self {
        Name {
            first_name: n.first_name,
            middle_name: n.middle_name,
            last_name: n.last_name,
        }
    }
}

impl From<Name> for core::Name {
    fn from(n: Name) -> Self {
        core::Name {
            first_name: n.first_name,
            middle_name: n.middle_name,
            last_name: n.last_name,
        }
    }
}

/// A residential address.
#[derive(Clone, PartialEq, Eq, uniffi::Record)]
#[uniffi::export(Debug, Display)]
pub struct Address {
    /// Street and number, at most 250 characters.
    pub street_address: String,
    /// Apartment, suite or box.
    #[uniffi(default = None)]
    pub street_address2: Option<String>,
    /// City.
    pub city: String,
    /// Postal code; 5 or 5+4 digits in the US.
    pub postal_code: String,
    /// USPS state code; required in the US.
    #[uniffi(default = None)]
    pub state: Option<String>,
    /// ISO 3166 country code (`US`).
    pub country: String,
}

impl From<core::Address> for Address {
    fn from(a: core::Address) -> Self {
        Address {
            street_address: a.street_address,
            street_address2: a.street_address2,
            city: a.city,
            postal_code: a.postal_code,
            state: a.state,
            country: a.country,
        }
    }
}

impl From<Address> for core::Address {
    fn from(a: Address) -> Self {
        core::Address {
            street_address: a.street_address,
            street_address2: a.street_address2,
            city: a.city,
            postal_code: a.postal_code,
            state: a.state,
            country: a.country,
        }
    }
}

/// Time-stamped consent to a version of the agreement bundle.
#[derive(Clone, Debug, PartialEq, Eq, uniffi::Record)]
pub struct AgreementConsent {
    /// The `version` returned by List Agreements.
    pub version: String,
    /// When the applicant consented: RFC 3339 with an offset.
    pub timestamp: String,
}

impl From<core::AgreementConsent> for AgreementConsent {
    fn from(c: core::AgreementConsent) -> Self {
        AgreementConsent {
            version: c.version,
            timestamp: c.timestamp,
        }
    }
}

impl From<AgreementConsent> for core::AgreementConsent {
    fn from(c: AgreementConsent) -> Self {
        core::AgreementConsent {
            version: c.version,
            timestamp: c.timestamp,
        }
    }
}

/// Suitability data. `occupation` is required when EMPLOYED.
#[derive(Clone, PartialEq, Eq, uniffi::Record)]
#[uniffi::export(Debug, Display)]
pub struct InvestmentProfile {
    /// The tag of the union.
    pub employment_status: EmploymentStatus,
    /// Annual income range.
    pub income: AnnualIncome,
    /// Net worth range.
    pub net_worth: NetWorth,
    /// Occupation: required when EMPLOYED (2 to 200 characters).
    #[uniffi(default = None)]
    pub occupation: Option<String>,
    /// Broker-dealer association to disclose, if any.
    #[uniffi(default = None)]
    pub bd_association: Option<String>,
    /// Company where the applicant is a director or policy maker, if any.
    #[uniffi(default = None)]
    pub director_policy_maker_of_company: Option<String>,
}

impl From<core::InvestmentProfile> for InvestmentProfile {
    fn from(p: core::InvestmentProfile) -> Self {
        InvestmentProfile {
            employment_status: p.employment_status.into(),
            income: p.income.into(),
            net_worth: p.net_worth.into(),
            occupation: p.occupation,
            bd_association: p.bd_association,
            director_policy_maker_of_company: p.director_policy_maker_of_company,
        }
    }
}

impl From<InvestmentProfile> for core::InvestmentProfile {
    fn from(p: InvestmentProfile) -> Self {
        core::InvestmentProfile {
            employment_status: p.employment_status.into(),
            income: p.income.into(),
            net_worth: p.net_worth.into(),
            occupation: p.occupation,
            bd_association: p.bd_association,
            director_policy_maker_of_company: p.director_policy_maker_of_company,
        }
    }
}

/// The body of Create Application. A blank string counts as missing (`required`), and
/// `Unknown` enum values are reported as `invalid_enum`, so a form can be validated
/// while it is being filled in.
#[derive(Clone, PartialEq, Eq, uniffi::Record)]
#[uniffi::export(Debug, Display)]
pub struct CreateApplicationRequest {
    /// Nine digits for an SSN.
    pub identification_number: String,
    /// What `identification_number` holds; SSN when absent.
    #[uniffi(default = None)]
    pub identification_type: Option<IdentificationType>,
    /// Applicant's name.
    pub name: Name,
    /// E-mail address, whose ownership the partner verified.
    pub email: String,
    /// Phone number, E.164 (`+14155550100`), whose ownership the partner verified.
    pub phone_number: String,
    /// Calendar date of birth, `YYYY-MM-DD`.
    pub date_of_birth: String,
    /// Suitability data.
    pub investment_profile: InvestmentProfile,
    /// Consent to the agreement bundle.
    pub agreement_consent: AgreementConsent,
    /// Residential address.
    pub address: Address,
    /// ISO 3166 alpha-2 citizenship; the server assumes `US` when absent.
    #[uniffi(default = None)]
    pub citizenship_country: Option<String>,
    /// When the applicant was first onboarded by the partner (RFC 3339).
    #[uniffi(default = None)]
    pub originally_onboarded_at: Option<String>,
}

impl From<core::CreateApplicationRequest> for CreateApplicationRequest {
    fn from(r: core::CreateApplicationRequest) -> Self {
        CreateApplicationRequest {
            identification_number: r.identification_number,
            identification_type: r.identification_type.map(Into::into),
            name: r.name.into(),
            email: r.email,
            phone_number: r.phone_number,
            date_of_birth: r.date_of_birth,
            investment_profile: r.investment_profile.into(),
            agreement_consent: r.agreement_consent.into(),
            address: r.address.into(),
            citizenship_country: r.citizenship_country,
            originally_onboarded_at: r.originally_onboarded_at,
        }
    }
}

impl From<CreateApplicationRequest> for core::CreateApplicationRequest {
    fn from(r: CreateApplicationRequest) -> Self {
        core::CreateApplicationRequest {
            identification_number: r.identification_number,
            identification_type: r.identification_type.map(Into::into),
            name: r.name.into(),
            email: r.email,
            phone_number: r.phone_number,
            date_of_birth: r.date_of_birth,
            investment_profile: r.investment_profile.into(),
            agreement_consent: r.agreement_consent.into(),
            address: r.address.into(),
            citizenship_country: r.citizenship_country,
            originally_onboarded_at: r.originally_onboarded_at,
        }
    }
}

/// A document request or upload attached to an application.
#[derive(Clone, Debug, PartialEq, Eq, uniffi::Record)]
pub struct Document {
    /// Document id.
    pub id: String,
    /// Kind of document (`type` on the wire).
    pub document_type: DocumentType,
    /// Review state.
    pub status: DocumentStatus,
    /// Why the document was refused, if it was.
    #[uniffi(default = None)]
    pub exception_reason: Option<String>,
    /// Uploaded file name.
    #[uniffi(default = None)]
    pub name: Option<String>,
}

impl From<core::Document> for Document {
    fn from(d: core::Document) -> Self {
        Document {
            id: d.id,
            document_type: d.document_type.into(),
            status: d.status.into(),
            exception_reason: d.exception_reason,
            name: d.name,
        }
    }
}

impl From<Document> for core::Document {
    fn from(d: Document) -> Self {
        core::Document {
            id: d.id,
            document_type: d.document_type.into(),
            status: d.status.into(),
            exception_reason: d.exception_reason,
            name: d.name,
        }
    }
}

/// An individual application as the server returns it.
///
/// `date_of_birth` is the calendar date itself (the response nests it in an object; the
/// JSON encoding puts it back). Flags use the API reference's spelling; the parser also
/// accepts the guide's `identification_number_document_needed`.
#[derive(Clone, PartialEq, Eq, uniffi::Record)]
#[uniffi::export(Debug, Display)]
pub struct Application {
    /// Application id (a UUID).
    pub id: String,
    /// Where the application stands.
    pub status: ApplicationStatus,
    /// Creation time, RFC 3339.
    #[uniffi(default = None)]
    pub time_created: Option<String>,
    /// Last update time, RFC 3339.
    #[uniffi(default = None)]
    pub updated_at: Option<String>,
    /// Applicant's name.
    #[uniffi(default = None)]
    pub name: Option<Name>,
    /// Applicant's e-mail.
    #[uniffi(default = None)]
    pub email: Option<String>,
    /// Applicant's phone.
    #[uniffi(default = None)]
    pub phone_number: Option<String>,
    /// Date of birth, `YYYY-MM-DD`.
    #[uniffi(default = None)]
    pub date_of_birth: Option<String>,
    /// Suitability data.
    #[uniffi(default = None)]
    pub investment_profile: Option<InvestmentProfile>,
    /// Consent sent with the application.
    #[uniffi(default = None)]
    pub agreement_consent: Option<AgreementConsent>,
    /// Residential address.
    #[uniffi(default = None)]
    pub address: Option<Address>,
    /// Citizenship.
    #[uniffi(default = None)]
    pub citizenship_country: Option<String>,
    /// The customer created on approval.
    #[uniffi(default = None)]
    pub customer_id: Option<String>,
    /// Requested and uploaded documents.
    #[uniffi(default = [])]
    pub documents: Vec<Document>,
    /// Free-text reasons attached by KYC.
    #[uniffi(default = [])]
    pub exception_reasons: Vec<String>,
    /// ID_FRONT, ID_BACK, and SELFIE or PASSPORT are needed.
    pub id_verification_documents_needed: bool,
    /// IDENTIFICATION_NUMBER_VERIFICATION is needed.
    pub identification_number_verification_document_needed: bool,
    /// ADDRESS_VERIFICATION is needed.
    pub address_verification_document_needed: bool,
}

impl From<core::Application> for Application {
    fn from(a: core::Application) -> Self {
        Application {
            id: a.id,
            status: a.status.into(),
            time_created: a.time_created,
            updated_at: a.updated_at,
            name: a.name.map(Into::into),
            email: a.email,
            phone_number: a.phone_number,
            date_of_birth: a.date_of_birth.map(|d| d.date_of_birth),
            investment_profile: a.investment_profile.map(Into::into),
            agreement_consent: a.agreement_consent.map(Into::into),
            address: a.address.map(Into::into),
            citizenship_country: a.citizenship_country,
            customer_id: a.customer_id,
            documents: a.documents.into_iter().map(Into::into).collect(),
            exception_reasons: a.exception_reasons,
            id_verification_documents_needed: a.id_verification_documents_needed,
            identification_number_verification_document_needed: a
                .identification_number_verification_document_needed,
            address_verification_document_needed: a.address_verification_document_needed,
        }
    }
}

impl From<Application> for core::Application {
    fn from(a: Application) -> Self {
        core::Application {
            id: a.id,
            status: a.status.into(),
            time_created: a.time_created,
            updated_at: a.updated_at,
            name: a.name.map(Into::into),
            email: a.email,
            phone_number: a.phone_number,
            date_of_birth: a
                .date_of_birth
                .map(|date_of_birth| core::DateOfBirth { date_of_birth }),
            investment_profile: a.investment_profile.map(Into::into),
            agreement_consent: a.agreement_consent.map(Into::into),
            address: a.address.map(Into::into),
            citizenship_country: a.citizenship_country,
            customer_id: a.customer_id,
            documents: a.documents.into_iter().map(Into::into).collect(),
            exception_reasons: a.exception_reasons,
            id_verification_documents_needed: a.id_verification_documents_needed,
            identification_number_verification_document_needed: a
                .identification_number_verification_document_needed,
            address_verification_document_needed: a.address_verification_document_needed,
        }
    }
}

redacted_through_core!(
    Name,
    Address,
    InvestmentProfile,
    CreateApplicationRequest,
    Application
);

/// One document of the agreement bundle.
#[derive(Clone, Debug, PartialEq, Eq, uniffi::Record)]
pub struct AgreementDocument {
    /// Title to show the user.
    pub title: String,
    /// Where the PDF is.
    pub pdf_download_url: String,
    /// Kind of agreement (`type` on the wire).
    pub agreement_type: AgreementType,
    /// Category.
    pub category: AgreementCategory,
}

impl From<core::AgreementDocument> for AgreementDocument {
    fn from(d: core::AgreementDocument) -> Self {
        AgreementDocument {
            title: d.title,
            pdf_download_url: d.pdf_download_url,
            agreement_type: d.agreement_type.into(),
            category: d.category.into(),
        }
    }
}

impl From<AgreementDocument> for core::AgreementDocument {
    fn from(d: AgreementDocument) -> Self {
        core::AgreementDocument {
            title: d.title,
            pdf_download_url: d.pdf_download_url,
            agreement_type: d.agreement_type.into(),
            category: d.category.into(),
        }
    }
}

/// The versioned agreement bundle: show it, then record consent with `version`.
#[derive(Clone, Debug, PartialEq, Eq, uniffi::Record)]
pub struct Agreements {
    /// The version to put in `agreement_consent.version`.
    pub version: String,
    /// Release date, `YYYY-MM-DD`.
    pub release_date: String,
    /// The documents of the bundle.
    pub documents: Vec<AgreementDocument>,
}

impl From<core::Agreements> for Agreements {
    fn from(a: core::Agreements) -> Self {
        Agreements {
            version: a.version,
            release_date: a.release_date,
            documents: a.documents.into_iter().map(Into::into).collect(),
        }
    }
}

impl From<Agreements> for core::Agreements {
    fn from(a: Agreements) -> Self {
        core::Agreements {
            version: a.version,
            release_date: a.release_date,
            documents: a.documents.into_iter().map(Into::into).collect(),
        }
    }
}

/// The answer to an upload.
#[derive(Clone, Debug, PartialEq, Eq, uniffi::Record)]
pub struct UploadedDocument {
    /// Whether the server stored the file.
    pub success: bool,
    /// Id of the stored document.
    pub document_id: String,
}

impl From<core::UploadedDocument> for UploadedDocument {
    fn from(u: core::UploadedDocument) -> Self {
        UploadedDocument {
            success: u.success,
            document_id: u.document_id,
        }
    }
}

impl From<UploadedDocument> for core::UploadedDocument {
    fn from(u: UploadedDocument) -> Self {
        core::UploadedDocument {
            success: u.success,
            document_id: u.document_id,
        }
    }
}

/// One document the user still has to provide: any one of `one_of` satisfies it.
#[derive(Clone, Debug, PartialEq, Eq, uniffi::Record)]
pub struct DocumentRequirement {
    /// The application flag this requirement comes from.
    pub flag: DocumentFlag,
    /// Upload one document of any of these types.
    pub one_of: Vec<DocumentType>,
}

impl From<core::DocumentRequirement> for DocumentRequirement {
    fn from(r: core::DocumentRequirement) -> Self {
        DocumentRequirement {
            flag: r.flag.into(),
            one_of: r.one_of.into_iter().map(Into::into).collect(),
        }
    }
}

/// What the sandbox does with an SSN, per the onboarding guide.
#[derive(Clone, Debug, PartialEq, Eq, uniffi::Record)]
pub struct SandboxScenario {
    /// The status KYC gives after the first Apply.
    pub status_after_apply: ApplicationStatus,
    /// Whether ID_FRONT, ID_BACK and SELFIE or PASSPORT will be requested.
    pub id_verification_documents_needed: bool,
    /// Whether IDENTIFICATION_NUMBER_VERIFICATION will be requested.
    pub identification_number_document_needed: bool,
    /// Whether ADDRESS_VERIFICATION will be requested.
    pub address_verification_document_needed: bool,
    /// For DOCUMENTS_NEEDED: the status after the documents are uploaded and Apply is
    /// called again; absent otherwise.
    pub status_after_documents: Option<ApplicationStatus>,
}

impl From<core::SandboxScenario> for SandboxScenario {
    fn from(s: core::SandboxScenario) -> Self {
        SandboxScenario {
            status_after_apply: s.status_after_apply.into(),
            id_verification_documents_needed: s.id_verification_documents_needed,
            identification_number_document_needed: s.identification_number_document_needed,
            address_verification_document_needed: s.address_verification_document_needed,
            status_after_documents: s.status_after_documents.map(Into::into),
        }
    }
}

/// Encodes a core model as compact JSON.
pub(crate) fn to_json<T: serde::Serialize>(value: &T) -> Result<String, JikoError> {
    serde_json::to_string(value).map_err(|_| {
        JikoError::invalid_argument("encoding_failed", "the value could not be encoded as JSON")
    })
}
