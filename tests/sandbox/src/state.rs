//! In-memory state: tokens, idempotency keys, applications and how they move, and
//! what follows an approval (customers, accounts, portals, webhook events). Every
//! decision about an application comes from the core: `sandbox_scenario` for the
//! outcome of each SSN, `required_documents` for what is still missing. This module
//! only records what those functions say.

use std::collections::HashMap;

use hmac::{Hmac, KeyInit, Mac};
use jiko_onboarding::{
    documents::raised_flags, new_idempotency_key, required_documents, sandbox_scenario,
    Application, ApplicationStatus, CreateApplicationRequest, DateOfBirth, Document, DocumentFlag,
    DocumentStatus, DocumentType, SandboxScenario,
};
use serde_json::{json, Map, Value};
use sha2::Sha256;

use crate::bank::Bank;
use crate::clock;
use crate::faults::FaultRates;
use crate::idempotency;
use crate::rng::{stream, SplitMix64};
use crate::stats::Stats;
use crate::webhooks::{Envelope, Hooks};

/// The statuses the stats count, in the guide's order.
const STATUSES: [&str; 7] = [
    "CREATED",
    "SUBMITTED",
    "DOCUMENTS_NEEDED",
    "PENDING",
    "MANUAL_REVIEW",
    "APPROVED",
    "REJECTED",
];

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
    /// Which Apply this is, so that the decide-after timer of an earlier Apply does
    /// not reveal a later one early.
    apply: u64,
}

/// A bearer token.
struct Token {
    expires: u64,
    revoked: bool,
}

/// Everything the simulator remembers.
pub struct State {
    tokens: HashMap<String, Token>,
    pub(crate) keys: idempotency::Store,
    apps: HashMap<String, Record>,
    applies: u64,
    pub(crate) bank: Bank,
    pub(crate) hooks: Hooks,
    pub(crate) stats: Stats,
    pub(crate) faults: FaultRates,
    ids: SplitMix64,
    pub(crate) request_faults: SplitMix64,
    webhook_faults: SplitMix64,
    /// Key of the digests of identification numbers (random per process): the
    /// simulator counts applications per person without keeping any number.
    digest_key: [u8; 32],
    applications_per_person: HashMap<[u8; 32], u32>,
}

/// 32 bytes from the OS random source (two UUIDs' worth), or from the clock if it
/// fails, which only weakens the keyed digests of a process that has bigger problems.
fn random_key() -> [u8; 32] {
    let mut key = [0u8; 32];
    let text = format!(
        "{}{}",
        new_idempotency_key().unwrap_or_default(),
        new_idempotency_key().unwrap_or_else(|_| clock::now_millis().to_string())
    );
    let digest = <Sha256 as sha2::Digest>::digest(text.as_bytes());
    key.copy_from_slice(&digest);
    key
}

impl State {
    /// An empty state whose ids and faults follow `seed`.
    pub(crate) fn new(seed: u64, faults: FaultRates) -> State {
        State {
            tokens: HashMap::new(),
            keys: idempotency::Store::default(),
            apps: HashMap::new(),
            applies: 0,
            bank: Bank::default(),
            hooks: Hooks::default(),
            stats: Stats::default(),
            faults,
            ids: SplitMix64::new(seed, stream::IDS),
            request_faults: SplitMix64::new(seed, stream::REQUEST_FAULTS),
            webhook_faults: SplitMix64::new(seed, stream::WEBHOOK_FAULTS),
            digest_key: random_key(),
            applications_per_person: HashMap::new(),
        }
    }

    /// A new id (a UUID v4 from the seeded generator).
    pub(crate) fn new_id(&mut self) -> String {
        self.ids.uuid()
    }

    /// A new bearer token valid for `lifetime_millis`; returns it and its expiry (ms).
    /// Tokens come from the OS random source, not from the seed.
    pub fn issue_token(&mut self, now: u64, lifetime_millis: u64) -> (String, u64) {
        let token = format!(
            "{}{}",
            new_idempotency_key().unwrap_or_else(|_| self.ids.uuid()),
            new_idempotency_key().unwrap_or_else(|_| self.ids.uuid())
        )
        .replace('-', "");
        let expires = now.saturating_add(lifetime_millis);
        self.tokens.insert(
            token.clone(),
            Token {
                expires,
                revoked: false,
            },
        );
        if self.tokens.len() > 10_000 {
            self.tokens.retain(|_, t| t.expires > now && !t.revoked);
        }
        (token, expires)
    }

    /// Whether the token is known, not expired and not revoked.
    pub fn token_valid(&self, token: &str, now: u64) -> bool {
        self.tokens
            .get(token)
            .is_some_and(|t| now < t.expires && !t.revoked)
    }

    /// Revokes a token (the `token_revoked` fault): every later request with it is 401.
    pub(crate) fn revoke_token(&mut self, token: &str) {
        if let Some(t) = self.tokens.get_mut(token) {
            t.revoked = true;
        }
    }

    /// Test hook: every token issued so far is expired from now on.
    pub fn expire_tokens(&mut self, now: u64) {
        for t in self.tokens.values_mut() {
            t.expires = now;
        }
    }

    /// How many applications exist.
    pub fn application_count(&self) -> usize {
        self.apps.len()
    }

    /// Stores a validated Create Application body as a CREATED application.
    pub fn create(&mut self, request: CreateApplicationRequest, now_seconds: i64) -> Application {
        let scenario = sandbox_scenario(&request.identification_number);
        if let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(&self.digest_key) {
            mac.update(request.identification_number.as_bytes());
            let digest: [u8; 32] = mac.finalize().into_bytes().into();
            *self.applications_per_person.entry(digest).or_default() += 1;
        }
        let stamp = clock::rfc3339(now_seconds);
        let app = Application {
            id: self.ids.uuid(),
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

    /// Get Application: counts a poll and reveals the KYC outcome when it is due.
    pub fn get(
        &mut self,
        id: &str,
        timing: OutcomeTiming,
        now: u64,
    ) -> Result<Application, Refusal> {
        let record = record_in(&mut self.apps, id)?;
        let due = match &mut record.pending {
            Some(p) => {
                p.polls = p.polls.saturating_add(1);
                p.polls >= timing.after_polls
                    && now.saturating_sub(p.since_millis) >= timing.after_millis
            }
            None => false,
        };
        if due {
            self.reveal(id, now);
        }
        self.application(id)
    }

    /// The application as it is now.
    fn application(&mut self, id: &str) -> Result<Application, Refusal> {
        Ok(record_in(&mut self.apps, id)?.app.clone())
    }

    /// Apply: CREATED or PENDING become SUBMITTED; every other status is refused.
    /// Returns the application and, while its outcome is still to come, the number of
    /// this Apply for [`State::reveal_if_pending`].
    pub fn apply(
        &mut self,
        id: &str,
        timing: OutcomeTiming,
        now: u64,
    ) -> Result<(Application, Option<u64>), Refusal> {
        self.applies += 1;
        let apply = self.applies;
        let record = record_in(&mut self.apps, id)?;
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
            apply,
        });
        if timing.after_polls == 0 && timing.after_millis == 0 {
            self.reveal(id, now);
            return Ok((self.application(id)?, None));
        }
        Ok((self.application(id)?, Some(apply)))
    }

    /// The decide-after timer of Apply number `apply`: reveals its outcome if nobody
    /// polled it out yet.
    pub(crate) fn reveal_if_pending(&mut self, id: &str, apply: u64, now: u64) {
        let waiting = self
            .apps
            .get(&id.to_ascii_lowercase())
            .and_then(|r| r.pending.as_ref())
            .is_some_and(|p| p.apply == apply);
        if waiting {
            self.reveal(id, now);
        }
    }

    /// SUBMITTED becomes the pending outcome; an approval opens the customer, and
    /// every outcome with an event type is published.
    fn reveal(&mut self, id: &str, now: u64) {
        let Ok(record) = record_in(&mut self.apps, id) else {
            return;
        };
        let Some(status) = record.reveal_outcome(now, &mut self.ids) else {
            return;
        };
        let app_id = record.app.id.clone();
        if status == ApplicationStatus::Approved {
            if let Some(customer_id) = record.app.customer_id.clone() {
                self.bank.open(&customer_id, &record.app, &mut self.ids);
            }
        }
        let event_type = match status {
            ApplicationStatus::Approved => "application.approved",
            ApplicationStatus::DocumentsNeeded => "application.documents_needed",
            ApplicationStatus::ManualReview => "application.manual_review",
            ApplicationStatus::Rejected => "application.rejected",
            _ => return,
        };
        self.publish(event_type, json!({ "application_id": app_id }), now);
    }

    /// Publishes a new event to the subscriptions that asked for its type.
    pub(crate) fn publish(&mut self, event_type: &str, payload: Value, now: u64) {
        let envelope = Envelope {
            event_id: self.ids.uuid(),
            timestamp: clock::rfc3339_millis(now),
            event_type: event_type.to_owned(),
            payload,
        };
        self.publish_envelope(envelope, now);
    }

    /// Publishes an event as given (Trigger Webhook).
    pub(crate) fn publish_envelope(&mut self, envelope: Envelope, now: u64) {
        self.hooks.publish(
            envelope,
            now,
            &self.faults,
            &mut self.webhook_faults,
            &mut self.stats,
        );
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
        let record = record_in(&mut self.apps, id)?;
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
                    id: self.ids.uuid(),
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

    /// The `applications` and `identification_numbers` parts of the stats.
    pub(crate) fn application_stats(&self) -> (Value, Value) {
        let mut by_status: Map<String, Value> = STATUSES
            .iter()
            .map(|s| ((*s).to_owned(), json!(0)))
            .collect();
        for record in self.apps.values() {
            let key = record.app.status.as_str().to_owned();
            let n = by_status.get(&key).and_then(Value::as_u64).unwrap_or(0);
            by_status.insert(key, json!(n + 1));
        }
        let mut per_number: std::collections::BTreeMap<u32, u64> =
            std::collections::BTreeMap::from([(1, 0)]);
        for count in self.applications_per_person.values() {
            *per_number.entry(*count).or_default() += 1;
        }
        let per_number: Map<String, Value> = per_number
            .into_iter()
            .map(|(k, v)| (k.to_string(), json!(v)))
            .collect();
        let more_than_one = self
            .applications_per_person
            .values()
            .filter(|c| **c > 1)
            .count();
        (
            json!({ "total": self.apps.len(), "by_status": by_status }),
            json!({
                "distinct": self.applications_per_person.len(),
                "with_more_than_one_application": more_than_one,
                "applications_per_identification_number": per_number,
            }),
        )
    }

    /// The stats document.
    pub(crate) fn stats_json(&self) -> Value {
        let (applications, numbers) = self.application_stats();
        self.stats.to_json(applications, numbers)
    }
}

/// The application with this id (ids compare case-insensitively), or 404.
fn record_in<'a>(
    apps: &'a mut HashMap<String, Record>,
    id: &str,
) -> Result<&'a mut Record, Refusal> {
    apps.get_mut(&id.to_ascii_lowercase())
        .ok_or(Refusal::NotFound)
}

fn seconds(millis: u64) -> i64 {
    i64::try_from(millis / 1000).unwrap_or(i64::MAX)
}

impl Record {
    /// SUBMITTED becomes the pending outcome; returns the new status.
    fn reveal_outcome(&mut self, now: u64, ids: &mut SplitMix64) -> Option<ApplicationStatus> {
        let pending = self.pending.take()?;
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
                                id: ids.uuid(),
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
                app.customer_id = Some(ids.uuid());
                for doc in &mut app.documents {
                    if doc.status == DocumentStatus::PendingReview {
                        doc.status = DocumentStatus::Approved;
                    }
                }
            }
            other => app.status = other,
        }
        Some(app.status.clone())
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
    fn tokens_expire_and_can_be_revoked() {
        let mut s = State::new(1, FaultRates::default());
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
        let (t4, _) = s.issue_token(1_000, 3_600_000);
        s.revoke_token(&t4);
        assert!(!s.token_valid(&t4, 1_001));
    }

    #[test]
    fn ids_follow_the_seed() {
        let mut a = State::new(5, FaultRates::default());
        let mut b = State::new(5, FaultRates::default());
        assert_eq!(a.new_id(), b.new_id());
        assert_ne!(a.new_id(), State::new(6, FaultRates::default()).new_id());
    }
}
