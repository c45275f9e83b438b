//! Enums, mirrored from the core variant for variant.
//!
//! Server enums keep values this SDK does not know in an `Unknown { value }` case, so a
//! response with a new status or document type still parses and re-encodes unchanged.
//! Wire spellings, parsing and `is_known` all come from the core.

use jiko_onboarding as core;

/// Declares a server enum with an `Unknown { value }` case, the conversions to and from
/// the core's enum, `wireValue()` / `isKnown()` methods and a `<name>FromWire` function.
macro_rules! open_enum {
    (
        $(#[$meta:meta])*
        $name:ident, $from_wire:ident { $($variant:ident),+ $(,)? }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Debug, PartialEq, Eq, Hash, uniffi::Enum)]
        #[uniffi::export(Display)]
        pub enum $name {
            $(
                #[allow(missing_docs)]
                $variant,
            )+
            /// A value this version of the SDK does not know, kept as the server sent it.
            Unknown {
                /// The wire spelling.
                value: String,
            },
        }

        /// The wire spelling (Kotlin's `toString()`, Swift's `description`).
        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                std::fmt::Display::fmt(&core::$name::from(self.clone()), f)
            }
        }

        impl From<core::$name> for $name {
            fn from(v: core::$name) -> Self {
                match v {
                    $(core::$name::$variant => $name::$variant,)+
                    core::$name::Unknown(value) => $name::Unknown { value },
                }
            }
        }

        impl From<$name> for core::$name {
            fn from(v: $name) -> Self {
                match v {
                    $($name::$variant => core::$name::$variant,)+
                    // The core decides: an `Unknown` that spells a known value is that value.
                    $name::Unknown { value } => core::$name::parse(&value),
                }
            }
        }

        #[uniffi::export]
        impl $name {
            /// The value as the API spells it on the wire.
            pub fn wire_value(&self) -> String {
                core::$name::from(self.clone()).as_str().to_owned()
            }

            /// Whether this is a value this version of the SDK knows.
            pub fn is_known(&self) -> bool {
                core::$name::from(self.clone()).is_known()
            }
        }

        /// The value for a wire spelling; spellings this SDK does not know become `Unknown`.
        #[uniffi::export]
        pub fn $from_wire(value: String) -> $name {
            core::$name::parse(&value).into()
        }
    };
}

open_enum! {
    /// Status of an individual application.
    ApplicationStatus, application_status_from_wire {
        Created, Pending, Submitted, DocumentsNeeded, Approved, Rejected, ManualReview,
    }
}

open_enum! {
    /// What `identification_number` holds; SSN when absent.
    IdentificationType, identification_type_from_wire {
        Ssn, Passport, Tin, DriversLicense,
    }
}

open_enum! {
    /// The discriminator of the investment profile; EMPLOYED requires an occupation.
    EmploymentStatus, employment_status_from_wire {
        Employed, Independent, Retired, Student, Unemployed,
    }
}

open_enum! {
    /// Estimated annual personal income in USD.
    AnnualIncome, annual_income_from_wire {
        Below50k, Between50kAnd100k, Between100kAnd250k, Over250k,
    }
}

open_enum! {
    /// Estimated average personal net worth in USD.
    NetWorth, net_worth_from_wire {
        Below50k, Between50kAnd200k, Between200kAnd1m, Between1mAnd5m, Over5m,
    }
}

open_enum! {
    /// Kind of an uploaded or requested document.
    DocumentType, document_type_from_wire {
        IdFront, IdBack, Selfie, IdentificationNumberVerification, AddressVerification,
        Passport, EinConfirmation, OperatingAgreement, PartnershipAgreement,
        ArticlesOfIncorporation, Bylaws, ProofOf501Status, ArticlesOfAssociation,
        CorporateCharter, TrustFormationRecords, ListOfTrustees, LegalAnalysisOfBusinessModel,
        CoinsAndTokensListedAndOffered, CoinRatingPolicyAndProcedures,
        TypeOfBlockchainAnalyticsUsed, MarketManipulationPolicy, BsaAmlOfacPolicies,
        IndependentAmlAuditReport, BsaAmlOfacInternalRiskAssessment, ArticlesOfOrganization,
        FlowOfFunds, BankStatements1, BankStatements2, BankStatements3,
        WireCounterpartyVerification, Other,
    }
}

open_enum! {
    /// Review state of a document.
    DocumentStatus, document_status_from_wire {
        PendingUpload, PendingReview, Approved, Invalid,
    }
}

open_enum! {
    /// Kind of agreement in the bundle.
    AgreementType, agreement_type_from_wire {
        PrivacyPolicy, PrivacyNotice, BusinessContinuityPlan, FinancialStatement,
        UsTreasuriesRisk, ElectronicCommunications, TaxCertificationForUsPerson, BankAccount,
        Limitations, Brokerage, Card, Cashback, FormCrs, AuthorizedRepresentativeCertification,
        TermsOfUse, ElectronicFundTransfers, TruthInSavings, FeeNotice, FundsAvailability,
        RegulationE,
    }
}

open_enum! {
    /// Category of an agreement (`E-SIGN` on the wire for `ESign`).
    AgreementCategory, agreement_category_from_wire {
        Bank, Brokerage, General, ESign,
    }
}

/// Declares a closed enum (one the SDK defines, not the server) mirrored from the core.
macro_rules! closed_enum {
    (
        $(#[$meta:meta])*
        $name:ident { $($(#[$vmeta:meta])* $variant:ident),+ $(,)? }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, uniffi::Enum)]
        pub enum $name {
            $($(#[$vmeta])* $variant,)+
        }

        impl From<core::$name> for $name {
            fn from(v: core::$name) -> Self {
                match v {
                    $(core::$name::$variant => $name::$variant,)+
                }
            }
        }

        impl From<$name> for core::$name {
            fn from(v: $name) -> Self {
                match v {
                    $($name::$variant => core::$name::$variant,)+
                }
            }
        }
    };
}

closed_enum! {
    /// The family of a non-2xx (or unreadable) server response.
    ApiErrorKind {
        /// 401: missing, unknown or expired token, or a refused signature.
        Unauthorized,
        /// 403: the partner may not do this.
        Forbidden,
        /// 404.
        NotFound,
        /// 400 or 422: the server refused the body; the error holds its field errors.
        Validation,
        /// 409 or 412: conflicts with the resource's state, or a reused idempotency key.
        Conflict,
        /// 429: slow down; see `retryAfterSeconds`.
        RateLimited,
        /// 5xx: the same prepared request may be retried.
        Server,
        /// Any other status.
        Unexpected,
        /// A 2xx status whose body is not the JSON document the endpoint returns.
        InvalidResponse,
    }
}

#[uniffi::export]
impl ApiErrorKind {
    /// The stable lower-case name: `unauthorized`, `not_found`, `rate_limited`, ...
    pub fn wire_value(&self) -> String {
        core::ApiErrorKind::from(*self).as_str().to_owned()
    }

    /// Whether resending the same prepared request (same idempotency key) may succeed.
    pub fn is_retryable(&self) -> bool {
        core::ApiErrorKind::from(*self).is_retryable()
    }
}

closed_enum! {
    /// Why an upload was refused before anything was sent.
    DocumentErrorCode {
        /// No bytes.
        Empty,
        /// Over the size limit of the document type.
        TooLarge,
        /// The content type is malformed, or the bytes are not what it announces.
        WrongType,
    }
}

closed_enum! {
    /// The application flag a document requirement comes from.
    DocumentFlag {
        /// `id_verification_documents_needed`.
        IdVerification,
        /// `identification_number_verification_document_needed`.
        IdentificationNumber,
        /// `address_verification_document_needed`.
        AddressVerification,
    }
}

#[uniffi::export]
impl DocumentFlag {
    /// The flag's field name in the API reference.
    pub fn wire_value(&self) -> String {
        core::DocumentFlag::from(*self).as_str().to_owned()
    }
}

closed_enum! {
    /// Why the partner has to wait.
    WaitReason {
        /// SUBMITTED: automatic KYC is running.
        KycInProgress,
        /// MANUAL_REVIEW: a person is reviewing the application.
        ManualReview,
        /// DOCUMENTS_NEEDED, but every required document is uploaded and being reviewed.
        DocumentsInReview,
    }
}

closed_enum! {
    /// Jiko's environments.
    Environment {
        /// `https://<partner>.sandbox-api.jikoservices.com`.
        Sandbox,
        /// `https://<partner>.partner-api.jikoservices.com`.
        Production,
    }
}

/// The environment named `sandbox` or `production` (for configuration files); anything
/// else is an `invalid_environment` error.
#[uniffi::export]
pub fn parse_environment(name: String) -> Result<Environment, crate::JikoError> {
    Ok(core::Environment::parse(&name)?.into())
}
