//! Immutable Python classes over the core's models. Each keeps the core value, exposes
//! its fields as read-only attributes (enums as their wire strings), and converts to and
//! from the wire form with `to_dict()` and `from_dict()` through the core's serde.

use jiko_onboarding as core;
use pyo3::prelude::*;
use pyo3::types::PyType;

use crate::convert::{to_python, to_value};
use crate::errors::invalid_model;

/// Declares a frozen class wrapping a core model, with `to_dict`, `from_dict`, pickling
/// through `from_dict`, equality, and the given extra methods.
macro_rules! wire_class {
    (
        $(#[$meta:meta])*
        $name:ident($core:ty);
        $($methods:tt)*
    ) => {
        $(#[$meta])*
        #[pyclass(frozen, eq, module = "jiko_onboarding")]
        #[derive(Clone, PartialEq)]
        pub struct $name {
            pub(crate) inner: $core,
        }

        impl From<$core> for $name {
            fn from(inner: $core) -> Self {
                $name { inner }
            }
        }

        #[pymethods]
        impl $name {
            /// The wire form: a dict with the API's field names, as `json.dumps` takes it.
            fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
                to_python(py, &self.inner)
            }

            /// The object for a wire-form dict, such as one `to_dict()` returned.
            #[classmethod]
            fn from_dict(
                cls: &Bound<'_, PyType>,
                data: &Bound<'_, PyAny>,
            ) -> PyResult<Self> {
                let py = cls.py();
                let value = to_value(data, "data")?;
                serde_json::from_value::<$core>(value)
                    .map($name::from)
                    .map_err(|_| invalid_model(py, stringify!($name)))
            }

            fn __reduce__<'py>(
                slf: &Bound<'py, Self>,
            ) -> PyResult<(Bound<'py, PyAny>, (Bound<'py, PyAny>,))> {
                let from_dict = slf.get_type().getattr("from_dict")?;
                Ok((from_dict, (slf.get().to_dict(slf.py())?,)))
            }

            $($methods)*
        }
    };
}

fn strings<T>(items: &[T], f: impl Fn(&T) -> &str) -> Vec<String> {
    items.iter().map(|i| f(i).to_owned()).collect()
}

fn py_repr(text: &str) -> String {
    // Python-style quoting for the few plain values shown in reprs (ids, statuses).
    format!("'{}'", text.replace('\\', "\\\\").replace('\'', "\\'"))
}

fn opt_repr(text: Option<&str>) -> String {
    text.map_or_else(|| "None".to_owned(), py_repr)
}

wire_class! {
    /// One problem with one field: `path` (dotted, such as `address.postal_code`), a
    /// stable `code` and a `message` that never contains the rejected value.
    FieldError(core::FieldError);

    #[getter]
    fn path(&self) -> &str {
        &self.inner.path
    }
    #[getter]
    fn code(&self) -> &str {
        &self.inner.code
    }
    #[getter]
    fn message(&self) -> &str {
        &self.inner.message
    }
    fn __repr__(&self) -> String {
        format!(
            "FieldError(path={}, code={}, message={})",
            py_repr(&self.inner.path),
            py_repr(&self.inner.code),
            py_repr(&self.inner.message)
        )
    }
}

wire_class! {
    /// The applicant's name. Personal data: `repr` hides it.
    Name(core::Name);

    #[getter]
    fn first_name(&self) -> &str {
        &self.inner.first_name
    }
    #[getter]
    fn middle_name(&self) -> Option<&str> {
        self.inner.middle_name.as_deref()
    }
    #[getter]
    fn last_name(&self) -> &str {
        &self.inner.last_name
    }
    fn __repr__(&self) -> &'static str {
        "Name(<redacted>)"
    }
}

wire_class! {
    /// A residential address. Personal data: `repr` hides it.
    Address(core::Address);

    #[getter]
    fn street_address(&self) -> &str {
        &self.inner.street_address
    }
    #[getter]
    fn street_address2(&self) -> Option<&str> {
        self.inner.street_address2.as_deref()
    }
    #[getter]
    fn city(&self) -> &str {
        &self.inner.city
    }
    #[getter]
    fn postal_code(&self) -> &str {
        &self.inner.postal_code
    }
    #[getter]
    fn state(&self) -> Option<&str> {
        self.inner.state.as_deref()
    }
    #[getter]
    fn country(&self) -> &str {
        &self.inner.country
    }
    fn __repr__(&self) -> &'static str {
        "Address(<redacted>)"
    }
}

wire_class! {
    /// Suitability data. `repr` shows the employment status only.
    InvestmentProfile(core::InvestmentProfile);

    #[getter]
    fn employment_status(&self) -> &str {
        self.inner.employment_status.as_str()
    }
    #[getter]
    fn income(&self) -> &str {
        self.inner.income.as_str()
    }
    #[getter]
    fn net_worth(&self) -> &str {
        self.inner.net_worth.as_str()
    }
    #[getter]
    fn occupation(&self) -> Option<&str> {
        self.inner.occupation.as_deref()
    }
    #[getter]
    fn bd_association(&self) -> Option<&str> {
        self.inner.bd_association.as_deref()
    }
    #[getter]
    fn director_policy_maker_of_company(&self) -> Option<&str> {
        self.inner.director_policy_maker_of_company.as_deref()
    }
    fn __repr__(&self) -> String {
        format!(
            "InvestmentProfile(employment_status={}, ...)",
            py_repr(self.inner.employment_status.as_str())
        )
    }
}

wire_class! {
    /// Time-stamped consent to a version of the agreement bundle.
    AgreementConsent(core::AgreementConsent);

    #[getter]
    fn version(&self) -> &str {
        &self.inner.version
    }
    #[getter]
    fn timestamp(&self) -> &str {
        &self.inner.timestamp
    }
    fn __repr__(&self) -> String {
        format!(
            "AgreementConsent(version={}, timestamp={})",
            py_repr(&self.inner.version),
            py_repr(&self.inner.timestamp)
        )
    }
}

wire_class! {
    /// A document requested for, or uploaded to, an application.
    Document(core::Document);

    #[getter]
    fn id(&self) -> &str {
        &self.inner.id
    }
    /// The document type (`type` on the wire).
    #[getter]
    fn document_type(&self) -> &str {
        self.inner.document_type.as_str()
    }
    #[getter]
    fn status(&self) -> &str {
        self.inner.status.as_str()
    }
    #[getter]
    fn exception_reason(&self) -> Option<&str> {
        self.inner.exception_reason.as_deref()
    }
    #[getter]
    fn name(&self) -> Option<&str> {
        self.inner.name.as_deref()
    }
    fn __repr__(&self) -> String {
        format!(
            "Document(id={}, document_type={}, status={})",
            py_repr(&self.inner.id),
            py_repr(self.inner.document_type.as_str()),
            py_repr(self.inner.status.as_str())
        )
    }
}

wire_class! {
    /// An individual application as the server returns it. `repr` shows its id and
    /// status only; the other attributes hold personal data.
    Application(core::Application);

    #[getter]
    fn id(&self) -> &str {
        &self.inner.id
    }
    #[getter]
    fn status(&self) -> &str {
        self.inner.status.as_str()
    }
    #[getter]
    fn time_created(&self) -> Option<&str> {
        self.inner.time_created.as_deref()
    }
    #[getter]
    fn updated_at(&self) -> Option<&str> {
        self.inner.updated_at.as_deref()
    }
    #[getter]
    fn name(&self) -> Option<Name> {
        self.inner.name.clone().map(Name::from)
    }
    #[getter]
    fn email(&self) -> Option<&str> {
        self.inner.email.as_deref()
    }
    #[getter]
    fn phone_number(&self) -> Option<&str> {
        self.inner.phone_number.as_deref()
    }
    /// The date of birth, `YYYY-MM-DD` (nested as `{"date_of_birth": ...}` on the wire).
    #[getter]
    fn date_of_birth(&self) -> Option<&str> {
        self.inner
            .date_of_birth
            .as_ref()
            .map(|d| d.date_of_birth.as_str())
    }
    #[getter]
    fn investment_profile(&self) -> Option<InvestmentProfile> {
        self.inner
            .investment_profile
            .clone()
            .map(InvestmentProfile::from)
    }
    #[getter]
    fn agreement_consent(&self) -> Option<AgreementConsent> {
        self.inner
            .agreement_consent
            .clone()
            .map(AgreementConsent::from)
    }
    #[getter]
    fn address(&self) -> Option<Address> {
        self.inner.address.clone().map(Address::from)
    }
    #[getter]
    fn citizenship_country(&self) -> Option<&str> {
        self.inner.citizenship_country.as_deref()
    }
    #[getter]
    fn customer_id(&self) -> Option<&str> {
        self.inner.customer_id.as_deref()
    }
    #[getter]
    fn documents(&self) -> Vec<Document> {
        self.inner.documents.iter().cloned().map(Document::from).collect()
    }
    #[getter]
    fn exception_reasons(&self) -> Vec<String> {
        self.inner.exception_reasons.clone()
    }
    #[getter]
    fn id_verification_documents_needed(&self) -> bool {
        self.inner.id_verification_documents_needed
    }
    #[getter]
    fn identification_number_verification_document_needed(&self) -> bool {
        self.inner.identification_number_verification_document_needed
    }
    #[getter]
    fn address_verification_document_needed(&self) -> bool {
        self.inner.address_verification_document_needed
    }
    fn __repr__(&self) -> String {
        format!(
            "Application(id={}, status={})",
            py_repr(&self.inner.id),
            py_repr(self.inner.status.as_str())
        )
    }
}

wire_class! {
    /// One document of the agreement bundle.
    AgreementDocument(core::AgreementDocument);

    #[getter]
    fn title(&self) -> &str {
        &self.inner.title
    }
    #[getter]
    fn pdf_download_url(&self) -> &str {
        &self.inner.pdf_download_url
    }
    /// The agreement type (`type` on the wire).
    #[getter]
    fn agreement_type(&self) -> &str {
        self.inner.agreement_type.as_str()
    }
    #[getter]
    fn category(&self) -> &str {
        self.inner.category.as_str()
    }
    fn __repr__(&self) -> String {
        format!(
            "AgreementDocument(agreement_type={}, title={})",
            py_repr(self.inner.agreement_type.as_str()),
            py_repr(&self.inner.title)
        )
    }
}

wire_class! {
    /// The versioned agreement bundle: show it, then record consent with `version`.
    Agreements(core::Agreements);

    #[getter]
    fn version(&self) -> &str {
        &self.inner.version
    }
    #[getter]
    fn release_date(&self) -> &str {
        &self.inner.release_date
    }
    #[getter]
    fn documents(&self) -> Vec<AgreementDocument> {
        self.inner
            .documents
            .iter()
            .cloned()
            .map(AgreementDocument::from)
            .collect()
    }
    fn __repr__(&self) -> String {
        format!(
            "Agreements(version={}, release_date={}, documents=<{}>)",
            py_repr(&self.inner.version),
            py_repr(&self.inner.release_date),
            self.inner.documents.len()
        )
    }
}

wire_class! {
    /// The answer to an upload.
    UploadedDocument(core::UploadedDocument);

    #[getter]
    fn success(&self) -> bool {
        self.inner.success
    }
    #[getter]
    fn document_id(&self) -> &str {
        &self.inner.document_id
    }
    fn __repr__(&self) -> String {
        format!(
            "UploadedDocument(success={}, document_id={})",
            if self.inner.success { "True" } else { "False" },
            py_repr(&self.inner.document_id)
        )
    }
}

wire_class! {
    /// One document the user still has to provide: any one of `one_of` satisfies it.
    DocumentRequirement(core::DocumentRequirement);

    /// The application flag this requirement comes from.
    #[getter]
    fn flag(&self) -> &'static str {
        self.inner.flag.as_str()
    }
    #[getter]
    fn one_of(&self) -> Vec<String> {
        strings(&self.inner.one_of, |t| t.as_str())
    }
    fn __repr__(&self) -> String {
        let types: Vec<String> = self.inner.one_of.iter().map(|t| py_repr(t.as_str())).collect();
        format!(
            "DocumentRequirement(flag={}, one_of=[{}])",
            py_repr(self.inner.flag.as_str()),
            types.join(", ")
        )
    }
}

wire_class! {
    /// The next step for an application. `kind` is `apply`, `upload_documents`, `wait`,
    /// `approved`, `rejected` or `unknown`; the other attributes are set for the kinds
    /// they belong to and are empty (`[]` or `None`) otherwise.
    NextAction(core::NextAction);

    #[getter]
    fn kind(&self) -> &'static str {
        self.inner.kind()
    }
    /// For `upload_documents`: what is still missing.
    #[getter]
    fn requirements(&self) -> Vec<DocumentRequirement> {
        match &self.inner {
            core::NextAction::UploadDocuments { requirements } => requirements
                .iter()
                .cloned()
                .map(DocumentRequirement::from)
                .collect(),
            _ => Vec::new(),
        }
    }
    /// For `wait`: `kyc_in_progress`, `manual_review` or `documents_in_review`.
    #[getter]
    fn reason(&self) -> Option<&'static str> {
        match &self.inner {
            core::NextAction::Wait { reason } => Some(core::WaitReason::as_str(*reason)),
            _ => None,
        }
    }
    /// For `approved`: the customer's id, when the server sent it.
    #[getter]
    fn customer_id(&self) -> Option<&str> {
        match &self.inner {
            core::NextAction::Approved { customer_id } => customer_id.as_deref(),
            _ => None,
        }
    }
    /// For `unknown`: the status this SDK does not know.
    #[getter]
    fn status(&self) -> Option<&str> {
        match &self.inner {
            core::NextAction::Unknown { status } => Some(status.as_str()),
            _ => None,
        }
    }
    fn __repr__(&self) -> String {
        let detail = match &self.inner {
            core::NextAction::UploadDocuments { requirements } => {
                format!(", requirements=<{}>", requirements.len())
            }
            core::NextAction::Wait { .. } => format!(", reason={}", opt_repr(self.reason())),
            core::NextAction::Approved { customer_id } => {
                format!(", customer_id={}", opt_repr(customer_id.as_deref()))
            }
            core::NextAction::Unknown { status } => format!(", status={}", py_repr(status)),
            core::NextAction::Apply | core::NextAction::Rejected => String::new(),
        };
        format!("NextAction(kind={}{detail})", py_repr(self.inner.kind()))
    }
}

wire_class! {
    /// What Jiko's sandbox does with an application, decided by its SSN.
    SandboxScenario(core::SandboxScenario);

    #[getter]
    fn status_after_apply(&self) -> &str {
        self.inner.status_after_apply.as_str()
    }
    #[getter]
    fn id_verification_documents_needed(&self) -> bool {
        self.inner.id_verification_documents_needed
    }
    #[getter]
    fn identification_number_document_needed(&self) -> bool {
        self.inner.identification_number_document_needed
    }
    #[getter]
    fn address_verification_document_needed(&self) -> bool {
        self.inner.address_verification_document_needed
    }
    #[getter]
    fn status_after_documents(&self) -> Option<&str> {
        self.inner.status_after_documents.as_ref().map(|s| s.as_str())
    }
    fn __repr__(&self) -> String {
        format!(
            "SandboxScenario(status_after_apply={}, status_after_documents={})",
            py_repr(self.inner.status_after_apply.as_str()),
            opt_repr(self.status_after_documents())
        )
    }
}
