//! In-memory state: tokens, idempotency keys and applications, and how an application
//! moves. Every decision about the sandbox's behaviour comes from the core:
//! `sandbox_scenario` for the outcome of each SSN, `required_documents` for what is
//! still missing. This module only records what those functions say.

use std::collections::{HashMap, VecDeque};

use jiko_onboarding::{
    documents::raised_flags, new_idempotency_key, required_documents, sandbox_scenario,
    Application, ApplicationStatus, CreateApplicationRequest, DateOfBirth, Document, DocumentFlag,
    DocumentStatus, DocumentType, SandboxScenario,
};

use crate::clock;

/// Idempotency keys are remembered for one hour, as Jiko does.
pub const IDEMPOTENCY_WINDOW_MILLIS: u64 = 3_600_000;

/// Timing of the KYC outcome after Apply.
#[derive(Clone, Copy, Debug)]
pub struct OutcomeTiming {
    /// The outcome appears on the N-th Get Application after Apply (0: in Apply's answer).
    pub after_polls: u32,
    /// ... and not before this many milliseconds after Apply.
    pub after_millis: u64,
}

/// Why a request was refused by the state (not by the HTTP checks).
#[derive(Debug, PartialEq, Eq)]
pub enum Refusal {
    /// 404.
    NotFound,
    /// 409, with a fixed explanation (never a value from the request).
    Conflict(&'static str),
}

/// An application and what the sandbox will do with it. The SSN itself is not kept:
/// only the scenario the core derived from it at creation.
struct Record {
    app: Application,
    scenario: SandboxScenario,
    pending: Option<Pending>,
}

/// An Apply whose KYC outcome has not been revealed yet (status SUBMITTED).
struct Pending {
    outcome: ApplicationStatus,
    polls: u32,
    since_millis: u64,
}

/// Everything the simulator remembers.
#[derive(Default)]
pub struct State {
    tokens: HashMap<String, u64>,
    keys: HashMap<String, u64>,
    key_order: VecDeque<(u64, String)>,
    apps: HashMap<String, Record>,
}

fn new_uuid() -> String {
    // The core's UUID v4 from the OS random source. If that source fails the process
    // has bigger problems; a fixed fallback would break uniqueness, so use the clock.
    new_idempotency_key().unwrap_or_else(|_| {
        let n = clock::now_millis();
        format!("00000000-0000-4000-8000-{:012x}", n & 0xffff_ffff_ffff)
    })
}

impl State {
    /// A new bearer token valid for `lifetime_millis`; returns it and its expiry (ms).
    pub fn issue_token(&mut self, now: u64, lifetime_millis: u64) -> (String, u64) {
        let token = format!("{}{}", new_uuid(), new_uuid()).replace('-', "");
        let expires = now.saturating_add(lifetime_millis);
        self.tokens.insert(token.clone(), expires);
        if self.tokens.len() > 10_000 {
            self.tokens.retain(|_, e| *e > now);
        }
        (token, expires)
    }

    /// Whether the token is known and not expired.
    pub fn token_valid(&self, token: &str, now: u64) -> bool {
        self.tokens.get(token).is_some_and(|e| now < *e)
    }

    /// Test hook: every token issued so far is expired from now on.
    pub fn expire_tokens(&mut self, now: u64) {
        for e in self.tokens.values_mut() {
            *e = now;
        }
    }

    /// Records an idempotency key; false when it was already used within the hour.
    pub fn use_key(&mut self, key: &str, now: u64) -> bool {
        let cutoff = now.saturating_sub(IDEMPOTENCY_WINDOW_MILLIS);
        while let Some((at, _)) = self.key_order.front() {
            if *at > cutoff {
                break;
            }
            if let Some((at, old)) = self.key_order.pop_front() {
                if self.keys.get(&old) == Some(&at) {
                    self.keys.remove(&old);
                }
            }
        }
        let key = key.to_ascii_lowercase();
        if self.keys.get(&key).is_some_and(|at| *at > cutoff) {
            return false;
        }
        self.keys.insert(key.clone(), now);
        self.key_order.push_back((now, key));
        true
    }

    /// How many applications exist.
    pub fn application_count(&self) -> usize {
        self.apps.len()
    }

    /// Stores a validated Create Application body as a CREATED application.
    pub fn create(&mut self, request: CreateApplicationRequest, now_seconds: i64) -> Application {
        let scenario = sandbox_scenario(&request.identification_number);
        let stamp = clock::rfc3339(now_seconds);
        let app = Application {
            id: new_uuid(),
            status: ApplicationStatus::Created,
            time_created: Some(stamp.clone()),
            updated_at: Some(stamp),
            name: Some(request.name),
            email: Some(request.email),
            phone_number: Some(request.phone_number),
            date_of_birth: Some(DateOfBirth {
                date_of_birth: request.date_of_birth,
            }),
            investment_profile: Some(request.investment_profile),
            agreement_consent: Some(request.agreement_consent),
            address: Some(request.address),
            citizenship_country: Some(
                request
                    .citizenship_country
                    .unwrap_or_else(|| "US".to_owned()),
            ),
            customer_id: None,
            documents: Vec::new(),
            exception_reasons: Vec::new(),
            id_verification_documents_needed: false,
            identification_number_verification_document_needed: false,
            address_verification_document_needed: false,
        };
        self.apps.insert(
            app.id.clone(),
            Record {
                app: app.clone(),
                scenario,
                pending: None,
            },
        );
        app
    }

    /// The application with this id (ids compare case-insensitively), or 404.
    fn record(&mut self, id: &str) -> Result<&mut Record, Refusal> {
        self.apps
            .get_mut(&id.to_ascii_lowercase())
            .ok_or(Refusal::NotFound)
    }

    /// Get Application: counts a poll and reveals the KYC outcome when it is due.
    pub fn get(
        &mut self,
        id: &str,
        timing: OutcomeTiming,
        now: u64,
    ) -> Result<Application, Refusal> {
        let record = self.record(id)?;
        let due = match &mut record.pending {
            Some(p) => {
                p.polls = p.polls.saturating_add(1);
                p.polls >= timing.after_polls
                    && now.saturating_sub(p.since_millis) >= timing.after_millis
            }
            None => false,
        };
        if due {
            record.reveal_outcome(now);
        }
        Ok(record.app.clone())
    }

    /// Apply: CREATED or PENDING become SUBMITTED; every other status is refused.
    pub fn apply(
        &mut self,
        id: &str,
        timing: OutcomeTiming,
        now: u64,
    ) -> Result<Application, Refusal> {
        let record = self.record(id)?;
        let outcome =
            match &record.app.status {
                ApplicationStatus::Created => record.scenario.status_after_apply.clone(),
                ApplicationStatus::Pending => record
                    .scenario
                    .status_after_documents
                    .clone()
                    .unwrap_or(ApplicationStatus::ManualReview),
                ApplicationStatus::Submitted => return Err(Refusal::Conflict(
                    "the application is already submitted; poll Get Application for the outcome",
                )),
                ApplicationStatus::DocumentsNeeded => {
                    return Err(Refusal::Conflict(
                        "documents are needed: upload them; the status becomes PENDING, then apply",
                    ))
                }
                ApplicationStatus::ManualReview => {
                    return Err(Refusal::Conflict(
                        "the application is in manual review; wait for the decision",
                    ))
                }
                ApplicationStatus::Approved => {
                    return Err(Refusal::Conflict("the application is already approved"))
                }
                ApplicationStatus::Rejected => {
                    return Err(Refusal::Conflict(
                        "the application was rejected; REJECTED is final",
                    ))
                }
                ApplicationStatus::Unknown(_) => {
                    return Err(Refusal::Conflict(
                        "the application cannot be applied in its status",
                    ))
                }
            };
        record.app.status = ApplicationStatus::Submitted;
        record.app.updated_at = Some(clock::rfc3339(seconds(now)));
        record.pending = Some(Pending {
            outcome,
            polls: 0,
            since_millis: now,
        });
        if timing.after_polls == 0 && timing.after_millis == 0 {
            record.reveal_outcome(now);
        }
        Ok(record.app.clone())
    }

    /// Upload Document: records the document as PENDING_REVIEW, clears the flags it
    /// satisfies, and moves DOCUMENTS_NEEDED to PENDING when no flag is left.
    /// Returns the document id.
    pub fn upload(
        &mut self,
        id: &str,
        document_type: DocumentType,
        now: u64,
    ) -> Result<String, Refusal> {
        let record = self.record(id)?;
        let app = &mut record.app;
        let requested = app.documents.iter_mut().find(|d| {
            d.document_type == document_type
                && matches!(
                    d.status,
                    DocumentStatus::PendingUpload | DocumentStatus::Invalid
                )
        });
        let document_id = match requested {
            Some(doc) => {
                doc.status = DocumentStatus::PendingReview;
                doc.id.clone()
            }
            None => {
                let doc = Document {
                    id: new_uuid(),
                    document_type,
                    status: DocumentStatus::PendingReview,
                    exception_reason: None,
                    name: None,
                };
                let id = doc.id.clone();
                app.documents.push(doc);
                id
            }
        };
        clear_satisfied_flags(app);
        app.updated_at = Some(clock::rfc3339(seconds(now)));
        Ok(document_id)
    }
}

fn seconds(millis: u64) -> i64 {
    i64::try_from(millis / 1000).unwrap_or(i64::MAX)
}

impl Record {
    /// SUBMITTED becomes the pending outcome.
    fn reveal_outcome(&mut self, now: u64) {
        let Some(pending) = self.pending.take() else {
            return;
        };
        let app = &mut self.app;
        app.updated_at = Some(clock::rfc3339(seconds(now)));
        match pending.outcome {
            ApplicationStatus::DocumentsNeeded => {
                app.status = ApplicationStatus::DocumentsNeeded;
                app.id_verification_documents_needed =
                    self.scenario.id_verification_documents_needed;
                app.identification_number_verification_document_needed =
                    self.scenario.identification_number_document_needed;
                app.address_verification_document_needed =
                    self.scenario.address_verification_document_needed;
                // One PENDING_UPLOAD request per document type the core still needs
                // (documents uploaded before Apply already count).
                for requirement in required_documents(app) {
                    for document_type in requirement.one_of {
                        if !app
                            .documents
                            .iter()
                            .any(|d| d.document_type == document_type)
                        {
                            app.documents.push(Document {
                                id: new_uuid(),
                                document_type,
                                status: DocumentStatus::PendingUpload,
                                exception_reason: None,
                                name: None,
                            });
                        }
                    }
                }
                clear_satisfied_flags(app);
            }
            ApplicationStatus::Approved => {
                app.status = ApplicationStatus::Approved;
                app.customer_id = Some(new_uuid());
                for doc in &mut app.documents {
                    if doc.status == DocumentStatus::PendingReview {
                        doc.status = DocumentStatus::Approved;
                    }
                }
            }
            other => app.status = other,
        }
    }
}

/// Lowers every raised flag that has no missing requirement left, by the core's
/// `required_documents`; DOCUMENTS_NEEDED with no flag left becomes PENDING.
fn clear_satisfied_flags(app: &mut Application) {
    let missing: Vec<DocumentFlag> = required_documents(app).iter().map(|r| r.flag).collect();
    for flag in raised_flags(app) {
        if !missing.contains(&flag) {
            match flag {
                DocumentFlag::IdVerification => app.id_verification_documents_needed = false,
                DocumentFlag::IdentificationNumber => {
                    app.identification_number_verification_document_needed = false
                }
                DocumentFlag::AddressVerification => {
                    app.address_verification_document_needed = false
                }
            }
        }
    }
    if app.status == ApplicationStatus::DocumentsNeeded && raised_flags(app).is_empty() {
        app.status = ApplicationStatus::Pending;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_refused_within_the_hour_and_forgotten_after() {
        let mut s = State::default();
        let k = "123e4567-e89b-12d3-a456-426614174000";
        assert!(s.use_key(k, 1_000));
        assert!(!s.use_key(k, 2_000));
        assert!(!s.use_key(&k.to_uppercase(), 2_000));
        assert!(!s.use_key(k, 1_000 + IDEMPOTENCY_WINDOW_MILLIS - 1));
        assert!(s.use_key(k, 1_000 + IDEMPOTENCY_WINDOW_MILLIS));
        assert_eq!(s.keys.len(), 1);
    }

    #[test]
    fn tokens_expire() {
        let mut s = State::default();
        let (t, exp) = s.issue_token(1_000, 3_600_000);
        assert_eq!(exp, 3_601_000);
        assert!(s.token_valid(&t, 3_600_999));
        assert!(!s.token_valid(&t, 3_601_000));
        assert!(!s.token_valid("nope", 1_000));
        let (t2, _) = s.issue_token(1_000, 3_600_000);
        s.expire_tokens(2_000);
        assert!(!s.token_valid(&t2, 2_000));
        let (t3, _) = s.issue_token(1_000, 0);
        assert!(!s.token_valid(&t3, 1_000));
    }
}
