//! Which documents an application still needs, and the checks an upload must pass
//! before it is sent.
//!
//! Requirements come from the three flags of the application, as the guide maps them:
//! `id_verification_documents_needed` needs ID_FRONT, ID_BACK, and SELFIE or PASSPORT;
//! the identification-number flag needs IDENTIFICATION_NUMBER_VERIFICATION; the address
//! flag needs ADDRESS_VERIFICATION. A requirement is already met when the application's
//! `documents` array holds a document of one of its types that was uploaded
//! (PENDING_REVIEW) or APPROVED; PENDING_UPLOAD and INVALID documents still count as
//! missing.

use serde::{Deserialize, Serialize};

use crate::error::{DocumentError, DocumentErrorCode};
use crate::models::{Application, DocumentStatus, DocumentType};

/// Largest upload for ID_FRONT, ID_BACK, SELFIE and PASSPORT: "5 MB", read as
/// 5,000,000 bytes, the safe reading of the guide and the API reference.
pub const IDENTITY_DOCUMENT_MAX_BYTES: usize = 5_000_000;

/// Every other type must stay under 50 MiB (the API's exclusive `content-length` bound).
pub const OTHER_DOCUMENT_LIMIT_BYTES: usize = 52_428_800;

/// The flag of an application that a requirement comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "tsify", derive(tsify::Tsify))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum DocumentFlag {
    /// `id_verification_documents_needed`.
    #[serde(rename = "id_verification_documents_needed")]
    IdVerification,
    /// `identification_number_verification_document_needed` (the guide's
    /// `identification_number_document_needed`).
    #[serde(rename = "identification_number_verification_document_needed")]
    IdentificationNumber,
    /// `address_verification_document_needed`.
    #[serde(rename = "address_verification_document_needed")]
    AddressVerification,
}

impl DocumentFlag {
    /// Every flag, in the guide's order.
    pub const ALL: [DocumentFlag; 3] = [
        DocumentFlag::IdVerification,
        DocumentFlag::IdentificationNumber,
        DocumentFlag::AddressVerification,
    ];

    /// The flag's field name in the API reference.
    pub fn as_str(self) -> &'static str {
        match self {
            DocumentFlag::IdVerification => "id_verification_documents_needed",
            DocumentFlag::IdentificationNumber => {
                "identification_number_verification_document_needed"
            }
            DocumentFlag::AddressVerification => "address_verification_document_needed",
        }
    }
}

/// One document the user still has to provide: any one of `one_of` satisfies it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "tsify", derive(tsify::Tsify))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct DocumentRequirement {
    /// The flag this requirement comes from.
    pub flag: DocumentFlag,
    /// Upload one document of any of these types.
    pub one_of: Vec<DocumentType>,
}

/// The requirements of each flag, in the guide's order.
fn requirements_of(flag: DocumentFlag) -> Vec<Vec<DocumentType>> {
    match flag {
        DocumentFlag::IdVerification => vec![
            vec![DocumentType::IdFront],
            vec![DocumentType::IdBack],
            vec![DocumentType::Selfie, DocumentType::Passport],
        ],
        DocumentFlag::IdentificationNumber => {
            vec![vec![DocumentType::IdentificationNumberVerification]]
        }
        DocumentFlag::AddressVerification => vec![vec![DocumentType::AddressVerification]],
    }
}

/// The flags raised on an application.
pub fn raised_flags(app: &Application) -> Vec<DocumentFlag> {
    let mut flags = Vec::new();
    if app.id_verification_documents_needed {
        flags.push(DocumentFlag::IdVerification);
    }
    if app.identification_number_verification_document_needed {
        flags.push(DocumentFlag::IdentificationNumber);
    }
    if app.address_verification_document_needed {
        flags.push(DocumentFlag::AddressVerification);
    }
    flags
}

/// Whether the application holds an uploaded or approved document of this type.
pub fn is_provided(app: &Application, document_type: &DocumentType) -> bool {
    app.documents.iter().any(|d| {
        &d.document_type == document_type
            && matches!(
                d.status,
                DocumentStatus::PendingReview | DocumentStatus::Approved
            )
    })
}

/// One requirement per document the user still has to provide.
pub fn required_documents(app: &Application) -> Vec<DocumentRequirement> {
    raised_flags(app)
        .into_iter()
        .flat_map(|flag| {
            requirements_of(flag)
                .into_iter()
                .map(move |one_of| DocumentRequirement { flag, one_of })
        })
        .filter(|req| !req.one_of.iter().any(|t| is_provided(app, t)))
        .collect()
}

/// The size limit of a document type, and whether it is inclusive.
fn limit_of(document_type: &DocumentType) -> (usize, bool) {
    match document_type {
        DocumentType::IdFront
        | DocumentType::IdBack
        | DocumentType::Selfie
        | DocumentType::Passport => (IDENTITY_DOCUMENT_MAX_BYTES, true),
        _ => (OTHER_DOCUMENT_LIMIT_BYTES, false),
    }
}

const PNG_SIGNATURE: &[u8] = b"\x89PNG\r\n\x1a\n";

/// Checks an upload before anything is built: not empty, within the size limit of its
/// type, a well-formed content type (PNG or JPEG for the identity photographs ID_FRONT,
/// ID_BACK, SELFIE and PASSPORT), and bytes that match the content type for the formats
/// the SDK can recognise (PNG, JPEG, PDF).
pub fn check_upload(
    document_type: &DocumentType,
    content_type: &str,
    bytes: &[u8],
) -> Result<(), DocumentError> {
    if bytes.is_empty() {
        return Err(DocumentError {
            code: DocumentErrorCode::Empty,
            message: "the document is empty".to_owned(),
        });
    }
    let (limit, inclusive) = limit_of(document_type);
    let too_large = if inclusive {
        bytes.len() > limit
    } else {
        bytes.len() >= limit
    };
    if too_large {
        let rule = if inclusive {
            format!("at most {limit} bytes")
        } else {
            format!("under {limit} bytes")
        };
        return Err(DocumentError {
            code: DocumentErrorCode::TooLarge,
            message: format!(
                "a {} document must be {rule}; this one has {} bytes",
                document_type.as_str(),
                bytes.len()
            ),
        });
    }
    let essence = content_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    if !is_media_type(content_type) {
        return Err(DocumentError {
            code: DocumentErrorCode::WrongType,
            message: "the content type must be a media type such as image/png".to_owned(),
        });
    }
    if inclusive && !matches!(essence.as_str(), "image/png" | "image/jpeg") {
        // ID_FRONT, ID_BACK, SELFIE and PASSPORT are photographs checked by KYC.
        return Err(DocumentError {
            code: DocumentErrorCode::WrongType,
            message: format!(
                "a {} document must be a PNG or JPEG image (image/png or image/jpeg)",
                document_type.as_str()
            ),
        });
    }
    let magic_ok = match essence.as_str() {
        "image/png" => bytes.starts_with(PNG_SIGNATURE),
        "image/jpeg" => bytes.starts_with(&[0xFF, 0xD8, 0xFF]),
        "application/pdf" => bytes.starts_with(b"%PDF-"),
        _ => true,
    };
    if !magic_ok {
        return Err(DocumentError {
            code: DocumentErrorCode::WrongType,
            message: format!("the bytes are not a {essence} file"),
        });
    }
    Ok(())
}

/// `type/subtype[; parameters]` with token characters only: nothing that could end the
/// header line or smuggle another header.
fn is_media_type(text: &str) -> bool {
    let token = |s: &str| {
        !s.is_empty()
            && s.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"!#$&-^_.+".contains(&b))
    };
    let mut parts = text.split(';');
    let essence = parts.next().unwrap_or_default().trim();
    let Some((kind, sub)) = essence.split_once('/') else {
        return false;
    };
    token(kind)
        && token(sub)
        && text.len() <= 255
        && text.bytes().all(|b| (0x20..0x7f).contains(&b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_follow_the_document_type() {
        let png = |n: usize| {
            let mut b = PNG_SIGNATURE.to_vec();
            b.resize(n, 0);
            b
        };
        assert!(check_upload(&DocumentType::Selfie, "image/png", &png(5_000_000)).is_ok());
        assert_eq!(
            check_upload(&DocumentType::Selfie, "image/png", &png(5_000_001))
                .unwrap_err()
                .code,
            DocumentErrorCode::TooLarge
        );
        assert!(check_upload(
            &DocumentType::AddressVerification,
            "image/png",
            &png(52_428_799)
        )
        .is_ok());
        assert_eq!(
            check_upload(
                &DocumentType::AddressVerification,
                "image/png",
                &png(52_428_800)
            )
            .unwrap_err()
            .code,
            DocumentErrorCode::TooLarge
        );
    }

    #[test]
    fn content_types_cannot_inject_headers() {
        let png = b"\x89PNG\r\n\x1a\nrest";
        for bad in [
            "",
            "image",
            "image/png\r\nx-evil: 1",
            "/png",
            "image/",
            "image /png",
        ] {
            assert_eq!(
                check_upload(&DocumentType::Selfie, bad, png)
                    .unwrap_err()
                    .code,
                DocumentErrorCode::WrongType,
                "{bad:?}"
            );
        }
        assert!(check_upload(&DocumentType::Selfie, "image/png; charset=binary", png).is_ok());
        assert!(check_upload(&DocumentType::Selfie, "IMAGE/PNG", png).is_ok());
    }
}

#[cfg(test)]
mod list_tests {
    use super::*;

    #[test]
    fn flag_names_are_the_serde_names() {
        for flag in DocumentFlag::ALL {
            assert_eq!(
                serde_json::to_value(flag).unwrap(),
                serde_json::Value::from(flag.as_str())
            );
        }
    }
}
