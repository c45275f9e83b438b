//! What Jiko's sandbox does with an application, decided by its SSN, as the onboarding
//! guide's table says.
//!
//! | SSN starts with | after Apply | flags | after documents and Apply again |
//! |---|---|---|---|
//! | 21 | DOCUMENTS_NEEDED | id verification | APPROVED (MANUAL_REVIEW for 211...) |
//! | 22 | DOCUMENTS_NEEDED | identification number | as above (221... to MANUAL_REVIEW) |
//! | 23 | DOCUMENTS_NEEDED | address | as above (231... to MANUAL_REVIEW) |
//! | 24 | DOCUMENTS_NEEDED | id verification + identification number | as above |
//! | 20, 25 to 29, or a lone 2 | DOCUMENTS_NEEDED | id verification (our choice) | as above |
//! | 3 | MANUAL_REVIEW | | |
//! | 4 | APPROVED | | |
//! | 5 | REJECTED | | |
//! | anything else | MANUAL_REVIEW | | |
//!
//! Choices where the guide is silent or contradicts itself:
//! - The guide lists flags for 21 to 24 only. DOCUMENTS_NEEDED without a flag would
//!   leave nothing to upload, so 20 and 25 to 29 raise the ID-verification flag, the
//!   flag of the API reference's own Apply example.
//! - The guide's last paragraph says the sandbox "has no path out of DOCUMENTS_NEEDED",
//!   while its SSN table describes the transition after uploading and applying again
//!   (2*1 to MANUAL_REVIEW, 2** to APPROVED). The table is specific and newer in spirit,
//!   so the SDK and the simulator follow it: flags cleared, then PENDING, then Apply.

use serde::{Deserialize, Serialize};

use crate::models::ApplicationStatus;

/// The sandbox's behaviour for one SSN.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "tsify", derive(tsify::Tsify))]
#[cfg_attr(feature = "tsify", tsify(missing_as_null))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
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
    /// called again. `None` otherwise.
    pub status_after_documents: Option<ApplicationStatus>,
}

/// What the sandbox does with this identification number.
pub fn sandbox_scenario(identification_number: &str) -> SandboxScenario {
    let mut digits = identification_number.chars();
    let first = digits.next();
    let second = digits.next();
    let third = digits.next();
    let settled = |status| SandboxScenario {
        status_after_apply: status,
        id_verification_documents_needed: false,
        identification_number_document_needed: false,
        address_verification_document_needed: false,
        status_after_documents: None,
    };
    match first {
        Some('2') => {
            let (id, number, address) = match second {
                Some('1') => (true, false, false),
                Some('2') => (false, true, false),
                Some('3') => (false, false, true),
                Some('4') => (true, true, false),
                _ => (true, false, false),
            };
            SandboxScenario {
                status_after_apply: ApplicationStatus::DocumentsNeeded,
                id_verification_documents_needed: id,
                identification_number_document_needed: number,
                address_verification_document_needed: address,
                status_after_documents: Some(if third == Some('1') {
                    ApplicationStatus::ManualReview
                } else {
                    ApplicationStatus::Approved
                }),
            }
        }
        Some('3') => settled(ApplicationStatus::ManualReview),
        Some('4') => settled(ApplicationStatus::Approved),
        Some('5') => settled(ApplicationStatus::Rejected),
        _ => settled(ApplicationStatus::ManualReview),
    }
}
