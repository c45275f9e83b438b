//! The API: routing, the checks every endpoint makes (bearer token, idempotency key,
//! signature, faults on demand), and the endpoints themselves. Application behaviour
//! lives in `state` (and, below it, in the core); moving bytes lives in `transport`.

use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use hyper::HeaderMap;
use jiko_onboarding::{
    check_upload, documents::OTHER_DOCUMENT_LIMIT_BYTES, is_uuid, validate_application_json,
    validation::validate_credentials, AgreementCategory, AgreementDocument, AgreementType,
    Agreements, CreateApplicationRequest, DocumentErrorCode, DocumentType, FieldError,
    UploadedDocument,
};
use serde_json::{json, Map, Value};

use crate::faults::FaultKind;
use crate::idempotency::{self, StoredAnswer, Verdict};
use crate::paging::{Cursor, DEFAULT_LIMIT, MAX_LIMIT};
use crate::state::{OutcomeTiming, Refusal, State};
use crate::webhooks::{self, Envelope, MIN_SHARED_SECRET_CHARS};
use crate::{clock, Shared};

/// JSON bodies larger than this are refused with 413, before they are read.
pub const JSON_BODY_LIMIT: u64 = 1 << 20;
/// Upload bodies larger than the API's exclusive bound for any document type (the
/// core's `OTHER_DOCUMENT_LIMIT_BYTES`) are refused with 413 before they are read; up
/// to it they are read and the core's `check_upload` says whether the type allows the
/// size (422 `too_large` when not).
pub const UPLOAD_BODY_LIMIT: u64 = OTHER_DOCUMENT_LIMIT_BYTES as u64;

/// The version of the agreement bundle the simulator serves.
pub const AGREEMENTS_VERSION: &str = "1.0.0";

/// Fund Account's bounds on `amount_usdc` (cents, both exclusive).
const FUND_AMOUNT_EXCLUSIVE_MAX: u64 = 5_000_000;
/// Fund Account's longest `company_name`.
const FUND_COMPANY_NAME_MAX_CHARS: usize = 16;

/// How the connection ends instead of carrying an answer (injected faults).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Abort {
    /// Closed without an answer, after the request took effect.
    LostResponse,
    /// Reset (zero linger), before any effect.
    Reset,
}

/// An answer: a JSON body (or none), and how the connection goes on.
#[derive(Debug)]
pub(crate) struct Reply {
    pub status: u16,
    pub body: Bytes,
    /// `Retry-After: 1`.
    pub retry_after: bool,
    /// `Connection: close`: the request body was not read to its end.
    pub close: bool,
    pub abort: Option<Abort>,
}

impl Reply {
    fn new(status: u16, body: Bytes) -> Self {
        Reply {
            status,
            body,
            retry_after: false,
            close: false,
            abort: None,
        }
    }

    pub(crate) fn json(status: u16, value: &Value) -> Self {
        Reply::new(
            status,
            Bytes::from(serde_json::to_vec(value).unwrap_or_else(|_| b"{}".to_vec())),
        )
    }

    /// No body (202 and 204, as Jiko answers them).
    fn empty(status: u16) -> Self {
        Reply::new(status, Bytes::new())
    }

    pub(crate) fn detail(status: u16, text: &str) -> Self {
        Reply::json(status, &json!({ "detail": text }))
    }

    fn retry_later(mut self) -> Self {
        self.retry_after = true;
        self
    }

    fn unprocessable(entries: Vec<Value>) -> Self {
        Reply::json(422, &json!({ "detail": entries }))
    }

    fn one_error(loc: &[&str], msg: &str, kind: &str) -> Self {
        Reply::unprocessable(vec![error_entry(loc, msg, kind)])
    }

    fn stored(&self) -> StoredAnswer {
        StoredAnswer {
            status: self.status,
            body: self.body.clone(),
            retry_after: self.retry_after,
        }
    }

    fn from_stored(a: StoredAnswer) -> Self {
        Reply {
            retry_after: a.retry_after,
            ..Reply::new(a.status, a.body)
        }
    }
}

fn error_entry(loc: &[&str], msg: &str, kind: &str) -> Value {
    json!({ "loc": loc, "msg": msg, "type": kind })
}

fn not_found() -> Reply {
    Reply::detail(404, "Not Found")
}

fn internal(_: impl std::fmt::Display) -> Reply {
    Reply::detail(500, "Internal Server Error")
}

/// An endpoint, with the ids its path holds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Endpoint {
    Login,
    Agreements,
    CreateApplication,
    GetApplication(String),
    Apply(String),
    Upload(String, String),
    GetCustomer(String),
    ListAccounts(String),
    GetAccount(String),
    ListPortals(String),
    CreateSubscription,
    ListSubscriptions,
    GetSubscription(String),
    UpdateSubscription(String),
    DeleteSubscription(String),
    ListEventTypes,
    ListEvents,
    TriggerWebhook,
    FundAccount,
    Stats,
}

/// Where a request goes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Route {
    Endpoint(Endpoint),
    /// A path the simulator serves, with another method: 405.
    MethodNotAllowed,
    /// 404.
    NotFound,
}

impl Endpoint {
    /// `METHOD /path/{template}/`: the key of the stats' `requests`.
    pub(crate) fn template(&self) -> &'static str {
        match self {
            Endpoint::Login => "POST /api/v1/login/",
            Endpoint::Agreements => "GET /api/v1/agreements/",
            Endpoint::CreateApplication => "POST /api/v1/applications/",
            Endpoint::GetApplication(_) => "GET /api/v1/applications/{id}/",
            Endpoint::Apply(_) => "POST /api/v1/applications/{id}/apply/",
            Endpoint::Upload(..) => {
                "POST /api/v1/applications/{id}/documents/{document_type}/file/"
            }
            Endpoint::GetCustomer(_) => "GET /api/v1/customers/{id}/",
            Endpoint::ListAccounts(_) => "GET /api/v1/customers/{id}/jiko-accounts/",
            Endpoint::GetAccount(_) => "GET /api/v1/jiko-accounts/{id}/",
            Endpoint::ListPortals(_) => "GET /api/v1/jiko-accounts/{id}/portals/",
            Endpoint::CreateSubscription => "POST /api/v1/subscriptions/",
            Endpoint::ListSubscriptions => "GET /api/v1/subscriptions/",
            Endpoint::GetSubscription(_) => "GET /api/v1/subscriptions/{id}/",
            Endpoint::UpdateSubscription(_) => "PATCH /api/v1/subscriptions/{id}/",
            Endpoint::DeleteSubscription(_) => "DELETE /api/v1/subscriptions/{id}/",
            Endpoint::ListEventTypes => "GET /api/v1/events/types/",
            Endpoint::ListEvents => "GET /api/v1/events/",
            Endpoint::TriggerWebhook => "POST /api/v1/sandbox/webhook/",
            Endpoint::FundAccount => "POST /api/v1/sandbox/fund/",
            Endpoint::Stats => "GET /_simulator/stats",
        }
    }

    /// The largest body the endpoint reads.
    pub(crate) fn body_limit(&self) -> u64 {
        match self {
            Endpoint::Upload(..) => UPLOAD_BODY_LIMIT,
            _ => JSON_BODY_LIMIT,
        }
    }
}

/// Routes a request. The guide's paths end with '/'; one without it is not found (no
/// redirect: a redirect would change the signed path).
pub(crate) fn route(method: &str, path: &str) -> Route {
    if path == "/_simulator/stats" || path == "/_simulator/stats/" {
        return if method == "GET" {
            Route::Endpoint(Endpoint::Stats)
        } else {
            Route::MethodNotAllowed
        };
    }
    let Some(segments) = path
        .strip_prefix("/api/v1/")
        .and_then(|p| p.strip_suffix('/'))
        .map(|p| p.split('/').collect::<Vec<_>>())
    else {
        return Route::NotFound;
    };
    let id = |s: &&str| (*s).to_owned();
    let found = |allowed: &[(&str, Endpoint)]| {
        allowed
            .iter()
            .find(|(m, _)| *m == method)
            .map_or(Route::MethodNotAllowed, |(_, e)| Route::Endpoint(e.clone()))
    };
    match segments.as_slice() {
        ["login"] => found(&[("POST", Endpoint::Login)]),
        ["agreements"] => found(&[("GET", Endpoint::Agreements)]),
        ["applications"] => found(&[("POST", Endpoint::CreateApplication)]),
        ["applications", a] => found(&[("GET", Endpoint::GetApplication(id(a)))]),
        ["applications", a, "apply"] => found(&[("POST", Endpoint::Apply(id(a)))]),
        ["applications", a, "documents", t, "file"] => {
            found(&[("POST", Endpoint::Upload(id(a), id(t)))])
        }
        ["customers", c] => found(&[("GET", Endpoint::GetCustomer(id(c)))]),
        ["customers", c, "jiko-accounts"] => found(&[("GET", Endpoint::ListAccounts(id(c)))]),
        ["jiko-accounts", a] => found(&[("GET", Endpoint::GetAccount(id(a)))]),
        ["jiko-accounts", a, "portals"] => found(&[("GET", Endpoint::ListPortals(id(a)))]),
        ["subscriptions"] => found(&[
            ("POST", Endpoint::CreateSubscription),
            ("GET", Endpoint::ListSubscriptions),
        ]),
        ["subscriptions", s] => found(&[
            ("GET", Endpoint::GetSubscription(id(s))),
            ("PATCH", Endpoint::UpdateSubscription(id(s))),
            ("DELETE", Endpoint::DeleteSubscription(id(s))),
        ]),
        ["events", "types"] => found(&[("GET", Endpoint::ListEventTypes)]),
        ["events"] => found(&[("GET", Endpoint::ListEvents)]),
        ["sandbox", "webhook"] => found(&[("POST", Endpoint::TriggerWebhook)]),
        ["sandbox", "fund"] => found(&[("POST", Endpoint::FundAccount)]),
        _ => Route::NotFound,
    }
}

/// A request, its body read.
pub(crate) struct Request<'a> {
    pub method: &'a str,
    pub path: &'a str,
    pub query: Option<&'a str>,
    pub headers: &'a HeaderMap,
    pub body: &'a [u8],
}

impl Request<'_> {
    /// The first header of this name, without surrounding blanks.
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(|v| v.trim_matches([' ', '\t']))
    }

    /// Path and query: what a replayed request must repeat.
    fn target(&self) -> String {
        match self.query {
            Some(q) => format!("{}?{q}", self.path),
            None => self.path.to_owned(),
        }
    }
}

/// Answers one request whose body was read. Never panics; every failure is a status.
pub(crate) fn answer(shared: &Arc<Shared>, endpoint: &Endpoint, request: &Request<'_>) -> Reply {
    if *endpoint == Endpoint::Stats {
        return Reply::json(200, &shared.lock().stats_json());
    }
    // One draw per API request, Login and uploads included.
    let fault = {
        let mut guard = shared.lock();
        let state = &mut *guard;
        state
            .faults
            .draw(&FaultKind::REQUEST, &mut state.request_faults)
    };
    let early = match fault {
        Some(FaultKind::ServerError) => Some(Reply::detail(
            500,
            "Internal Server Error (injected by --faults server_error)",
        )),
        Some(FaultKind::Unavailable) => Some(
            Reply::detail(
                503,
                "Service Unavailable (injected by --faults unavailable)",
            )
            .retry_later(),
        ),
        Some(FaultKind::RateLimit) => Some(
            Reply::detail(429, "Too Many Requests (injected by --faults rate_limit)").retry_later(),
        ),
        Some(FaultKind::Reset) => Some(Reply {
            abort: Some(Abort::Reset),
            ..Reply::empty(500)
        }),
        _ => None,
    };
    if let (Some(reply), Some(kind)) = (early, fault) {
        shared.lock().stats.fault(kind);
        return reply;
    }
    let mut timers = Vec::new();
    let mut reply = match endpoint {
        Endpoint::Login => login(shared, request),
        _ => signed(shared, endpoint, request, fault, &mut timers),
    };
    if fault == Some(FaultKind::LostResponse) {
        shared.lock().stats.fault(FaultKind::LostResponse);
        reply.abort = Some(Abort::LostResponse);
    }
    for (id, apply) in timers {
        start_decide_timer(shared, id, apply);
    }
    webhooks::flush(shared);
    reply
}

/// `--decide-after-ms`: the outcome of Apply number `apply` is revealed by itself
/// after that time, with its webhook, if no poll revealed it first.
fn start_decide_timer(shared: &Arc<Shared>, id: String, apply: u64) {
    let after = shared.config.decide_after_millis;
    if after == 0 {
        return;
    }
    let shared2 = Arc::clone(shared);
    shared.runtime.spawn(async move {
        tokio::time::sleep(Duration::from_millis(after)).await;
        shared2
            .lock()
            .reveal_if_pending(&id, apply, clock::now_millis());
        webhooks::flush(&shared2);
    });
}

/// The bearer token check: 401 when missing, unknown, expired or revoked; the
/// `token_revoked` fault revokes a valid one.
fn authenticate(
    shared: &Shared,
    request: &Request<'_>,
    fault: Option<FaultKind>,
) -> Result<(), Reply> {
    let token = request
        .header("authorization")
        .and_then(|v| {
            v.strip_prefix("Bearer ")
                .or_else(|| v.strip_prefix("bearer "))
        })
        .map(str::trim);
    let Some(token) = token.filter(|t| !t.is_empty()) else {
        return Err(Reply::detail(401, "Not authenticated"));
    };
    let mut state = shared.lock();
    if !state.token_valid(token, clock::now_millis()) {
        return Err(Reply::detail(401, "Invalid or expired token"));
    }
    if fault == Some(FaultKind::TokenRevoked) {
        state.revoke_token(token);
        state.stats.fault(FaultKind::TokenRevoked);
        return Err(Reply::detail(
            401,
            "The token was revoked (injected by --faults token_revoked); log in again",
        ));
    }
    Ok(())
}

/// The `x-jiko-idempotency` header: present and a UUID, else 422.
fn idempotency_key(request: &Request<'_>) -> Result<String, Reply> {
    match request.header("x-jiko-idempotency") {
        None | Some("") => Err(Reply::one_error(
            &["header", "x-jiko-idempotency"],
            "field required",
            "value_error.missing",
        )),
        Some(key) if is_uuid(key) => Ok(key.to_owned()),
        Some(_) => Err(Reply::one_error(
            &["header", "x-jiko-idempotency"],
            "value is not a valid uuid",
            "type_error.uuid",
        )),
    }
}

/// Every endpoint but Login: token, idempotency key, signature over exactly the
/// received path and body (the core's `Signer::verify`; uploads are not signed, as the
/// guide says), then the key: a repeat is replayed or refused, a new key runs the
/// endpoint and keeps its answer, whatever it is.
fn signed(
    shared: &Arc<Shared>,
    endpoint: &Endpoint,
    request: &Request<'_>,
    fault: Option<FaultKind>,
    timers: &mut Vec<(String, u64)>,
) -> Reply {
    if let Err(reply) = authenticate(shared, request, fault) {
        return reply;
    }
    let key = match idempotency_key(request) {
        Ok(k) => k,
        Err(reply) => return reply,
    };
    if !matches!(endpoint, Endpoint::Upload(..)) {
        let Some(signature) = request.header("x-jiko-signature") else {
            return Reply::detail(401, "Missing signature");
        };
        if !shared
            .signer
            .verify(&key, request.path, request.body, signature)
        {
            return Reply::detail(401, "Invalid signature");
        }
    }
    let now = clock::now_millis();
    let fingerprint = idempotency::fingerprint(request.method, &request.target(), request.body);
    let mut state = shared.lock();
    match state
        .keys
        .check(shared.config.idempotency, &key, fingerprint, now)
    {
        Verdict::Fresh => {}
        Verdict::Replay(answer) => {
            state.stats.replay();
            return Reply::from_stored(answer);
        }
        Verdict::Mismatch => {
            return Reply::detail(
                409,
                "The idempotency key was already used with a different request",
            )
        }
        Verdict::Reused => {
            return Reply::detail(
                409,
                "The idempotency key was already used within the last hour",
            )
        }
    }
    let reply = run(shared, &mut state, endpoint, request, now, timers);
    state.keys.record(&key, reply.stored());
    reply
}

/// Runs an endpoint whose checks passed.
fn run(
    shared: &Shared,
    state: &mut State,
    endpoint: &Endpoint,
    request: &Request<'_>,
    now: u64,
    timers: &mut Vec<(String, u64)>,
) -> Reply {
    let query = Query::parse(request.query);
    match endpoint {
        Endpoint::Agreements => agreements(),
        Endpoint::CreateApplication => create(state, request.body),
        Endpoint::GetApplication(id) => with_uuid(id, "application_id", || {
            match state.get(id, timing(shared), now) {
                Ok(app) => application_reply(200, &app),
                Err(r) => refusal(r),
            }
        }),
        Endpoint::Apply(id) => with_uuid(id, "application_id", || {
            match state.apply(id, timing(shared), now) {
                Ok((app, pending)) => {
                    if let Some(apply) = pending {
                        timers.push((app.id.clone(), apply));
                    }
                    application_reply(200, &app)
                }
                Err(r) => refusal(r),
            }
        }),
        Endpoint::Upload(id, document_type) => upload(state, request, id, document_type, now),
        Endpoint::GetCustomer(id) => with_uuid(id, "customer_id", || {
            state
                .bank
                .customer(id)
                .map_or_else(not_found, |c| Reply::json(200, &c))
        }),
        Endpoint::ListAccounts(id) => with_uuid(id, "customer_id", || {
            let (offset, limit) = match (
                query.number("offset", 0, 0, u64::MAX),
                query.number("limit", 100, 1, 100),
            ) {
                (Ok(o), Ok(l)) => (o, l),
                (o, l) => {
                    return Reply::unprocessable([o.err(), l.err()].into_iter().flatten().collect())
                }
            };
            state
                .bank
                .accounts_of(
                    id,
                    usize::try_from(offset).unwrap_or(usize::MAX),
                    usize::try_from(limit).unwrap_or(100),
                )
                .map_or_else(not_found, |v| Reply::json(200, &v))
        }),
        Endpoint::GetAccount(id) => with_uuid(id, "account_id", || {
            state
                .bank
                .account(id)
                .map_or_else(not_found, |v| Reply::json(200, &v))
        }),
        Endpoint::ListPortals(id) => with_uuid(id, "account_id", || {
            state
                .bank
                .portals_of(id)
                .map_or_else(not_found, |v| Reply::json(200, &v))
        }),
        Endpoint::CreateSubscription => create_subscription(state, request.body),
        Endpoint::ListSubscriptions => match query.paging() {
            Ok((cursor, limit)) => Reply::json(200, &state.hooks.list_subscriptions(cursor, limit)),
            Err(entries) => Reply::unprocessable(entries),
        },
        Endpoint::GetSubscription(id) => with_uuid(id, "subscription_id", || {
            state
                .hooks
                .subscription_mut(id)
                .map_or_else(not_found, |s| Reply::json(200, &s.to_json()))
        }),
        Endpoint::UpdateSubscription(id) => with_uuid(id, "subscription_id", || {
            update_subscription(state, id, request.body)
        }),
        Endpoint::DeleteSubscription(id) => with_uuid(id, "subscription_id", || {
            if state.hooks.unsubscribe(id) {
                Reply::empty(204)
            } else {
                not_found()
            }
        }),
        Endpoint::ListEventTypes => Reply::json(200, &webhooks::event_types()),
        Endpoint::ListEvents => list_events(state, &query),
        Endpoint::TriggerWebhook => trigger_webhook(state, request.body, now),
        Endpoint::FundAccount => fund(state, request.body, now),
        // Answered before the checks.
        Endpoint::Login | Endpoint::Stats => not_found(),
    }
}

fn timing(shared: &Shared) -> OutcomeTiming {
    OutcomeTiming {
        after_polls: shared.config.outcome_after_polls,
        after_millis: shared.config.outcome_after_millis,
    }
}

/// 422 on the path when `id` is not a UUID, as FastAPI answers; else the endpoint.
fn with_uuid(id: &str, name: &str, then: impl FnOnce() -> Reply) -> Reply {
    if is_uuid(id) {
        then()
    } else {
        Reply::one_error(
            &["path", name],
            "value is not a valid uuid",
            "type_error.uuid",
        )
    }
}

fn login(shared: &Shared, request: &Request<'_>) -> Reply {
    let Ok(value) = serde_json::from_slice::<Value>(request.body) else {
        return Reply::one_error(
            &["body"],
            "the body is not valid JSON",
            "value_error.jsondecode",
        );
    };
    let mut errors = Vec::new();
    let mut field = |name: &str| match value.get(name) {
        Some(Value::String(s)) => Some(s.clone()),
        None | Some(Value::Null) => {
            errors.push(error_entry(
                &["body", name],
                "field required",
                "value_error.missing",
            ));
            None
        }
        Some(_) => {
            errors.push(error_entry(
                &["body", name],
                "str type expected",
                "type_error.str",
            ));
            None
        }
    };
    let username = field("username");
    let password = field("password");
    let (Some(username), Some(password)) = (username, password) else {
        return Reply::unprocessable(errors);
    };
    let problems = validate_credentials(&username, &password);
    if !problems.is_empty() {
        return Reply::unprocessable(problems.iter().map(field_error_entry).collect());
    }
    if username != shared.config.username || password != shared.config.password {
        return Reply::detail(401, "Incorrect username or password");
    }
    let now = clock::now_millis();
    let lifetime = shared.config.token_lifetime_seconds.saturating_mul(1000);
    let (token, expires) = shared.lock().issue_token(now, lifetime);
    let expires_seconds = i64::try_from(expires / 1000).unwrap_or(i64::MAX);
    Reply::json(
        200,
        &json!({ "token": token, "expires": clock::rfc3339(expires_seconds) }),
    )
}

fn agreements() -> Reply {
    let doc = |title: &str, file: &str, agreement_type, category| AgreementDocument {
        title: title.to_owned(),
        pdf_download_url: format!("https://example.invalid/agreements/{file}.pdf"),
        agreement_type,
        category,
    };
    let bundle = Agreements {
        version: AGREEMENTS_VERSION.to_owned(),
        release_date: "2024-01-01".to_owned(),
        documents: vec![
            doc(
                "Terms of Use",
                "terms-of-use",
                AgreementType::TermsOfUse,
                AgreementCategory::General,
            ),
            doc(
                "Privacy Policy",
                "privacy-policy",
                AgreementType::PrivacyPolicy,
                AgreementCategory::General,
            ),
            doc(
                "Bank Account Agreement",
                "bank-account",
                AgreementType::BankAccount,
                AgreementCategory::Bank,
            ),
            doc(
                "Brokerage Agreement",
                "brokerage",
                AgreementType::Brokerage,
                AgreementCategory::Brokerage,
            ),
            doc(
                "E-Sign Consent",
                "e-sign",
                AgreementType::ElectronicCommunications,
                AgreementCategory::ESign,
            ),
        ],
    };
    match serde_json::to_value(bundle) {
        Ok(v) => Reply::json(200, &v),
        Err(e) => internal(e),
    }
}

/// A core field error as a 422 entry: `loc` is `body` plus the dotted path, `msg` the
/// core's message (which never holds the value), `type` the core's code.
fn field_error_entry(e: &FieldError) -> Value {
    let mut loc = vec![Value::from("body")];
    loc.extend(e.path.split('.').filter(|s| !s.is_empty()).map(Value::from));
    json!({ "loc": loc, "msg": e.message, "type": e.code })
}

fn application_reply(status: u16, app: &jiko_onboarding::Application) -> Reply {
    match serde_json::to_value(app) {
        Ok(mut v) => {
            // The real API adds this undeclared key; clients must ignore unknown keys.
            if let Some(map) = v.as_object_mut() {
                map.insert("object_type".to_owned(), json!("InternationalApplication"));
            }
            Reply::json(status, &v)
        }
        Err(e) => internal(e),
    }
}

fn refusal(r: Refusal) -> Reply {
    match r {
        Refusal::NotFound => not_found(),
        Refusal::Conflict(why) => Reply::detail(409, why),
    }
}

fn create(state: &mut State, body: &[u8]) -> Reply {
    let Some(today) = clock::today_utc() else {
        return internal("clock");
    };
    // Every rule, including "not JSON" (invalid_json), is the core's.
    let errors = validate_application_json(body, today);
    if !errors.is_empty() {
        return Reply::unprocessable(errors.iter().map(field_error_entry).collect());
    }
    let request: CreateApplicationRequest = match serde_json::from_slice(body) {
        Ok(r) => r,
        Err(_) => {
            return Reply::one_error(
                &["body"],
                "the body does not match the schema",
                "type_error",
            )
        }
    };
    let app = state.create(request, clock::now_seconds());
    application_reply(201, &app)
}

/// Upload Document: the bytes are checked by the core's `check_upload`.
fn upload(
    state: &mut State,
    request: &Request<'_>,
    id: &str,
    document_type: &str,
    now: u64,
) -> Reply {
    if !is_uuid(id) {
        return Reply::one_error(
            &["path", "application_id"],
            "value is not a valid uuid",
            "type_error.uuid",
        );
    }
    let document_type = DocumentType::parse(document_type);
    if !document_type.is_known() {
        return Reply::one_error(
            &["path", "document_type"],
            "value is not a valid document type",
            "type_error.enum",
        );
    }
    let Some(content_type) = request.header("content-type") else {
        return Reply::one_error(
            &["header", "content-type"],
            "field required",
            "value_error.missing",
        );
    };
    if let Err(e) = check_upload(&document_type, content_type, request.body) {
        let (loc, kind) = match e.code {
            DocumentErrorCode::Empty => ("content-length", "empty"),
            DocumentErrorCode::TooLarge => ("content-length", "too_large"),
            DocumentErrorCode::WrongType => ("content-type", "wrong_type"),
        };
        return Reply::one_error(&["header", loc], &e.message, kind);
    }
    match state.upload(id, document_type, now) {
        Ok(document_id) => match serde_json::to_value(UploadedDocument {
            success: true,
            document_id,
        }) {
            Ok(v) => Reply::json(200, &v),
            Err(e) => internal(e),
        },
        Err(r) => refusal(r),
    }
}

/// Query parameters, percent-decoded (`+` is a space, as form decoding has it: send
/// a `+` in an offset as `%2B`).
struct Query(Vec<(String, String)>);

impl Query {
    fn parse(query: Option<&str>) -> Query {
        Query(
            query
                .unwrap_or_default()
                .split('&')
                .filter(|p| !p.is_empty())
                .map(|p| {
                    let (k, v) = p.split_once('=').unwrap_or((p, ""));
                    (percent_decode(k), percent_decode(v))
                })
                .collect(),
        )
    }

    fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// An integer parameter from `low` to `high`, or `default` when absent.
    fn number(&self, name: &str, default: u64, low: u64, high: u64) -> Result<u64, Value> {
        let Some(text) = self.get(name) else {
            return Ok(default);
        };
        let n: u64 = text.parse().map_err(|_| {
            error_entry(
                &["query", name],
                "value is not a valid integer",
                "type_error.integer",
            )
        })?;
        if n < low {
            return Err(error_entry(
                &["query", name],
                &format!("ensure this value is greater than or equal to {low}"),
                "value_error.number.not_ge",
            ));
        }
        if n > high {
            return Err(error_entry(
                &["query", name],
                &format!("ensure this value is less than or equal to {high}"),
                "value_error.number.not_le",
            ));
        }
        Ok(n)
    }

    /// `cursor` and `limit` of the cursor lists.
    fn paging(&self) -> Result<(Cursor, usize), Vec<Value>> {
        let mut errors = Vec::new();
        let cursor = match Cursor::parse(self.get("cursor").unwrap_or_default()) {
            Some(c) => c,
            None => {
                errors.push(error_entry(
                    &["query", "cursor"],
                    "not a cursor from a previous answer",
                    "value_error",
                ));
                Cursor::Start
            }
        };
        let limit = self
            .number("limit", DEFAULT_LIMIT as u64, 1, MAX_LIMIT as u64)
            .map_err(|e| errors.push(e))
            .unwrap_or(0);
        if errors.is_empty() {
            Ok((cursor, usize::try_from(limit).unwrap_or(DEFAULT_LIMIT)))
        } else {
            Err(errors)
        }
    }
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => {
                match std::str::from_utf8(&bytes[i + 1..i + 3])
                    .ok()
                    .and_then(|h| u8::from_str_radix(h, 16).ok())
                {
                    Some(b) => {
                        out.push(b);
                        i += 2;
                    }
                    None => out.push(b'%'),
                }
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn list_events(state: &State, query: &Query) -> Reply {
    let mut errors = Vec::new();
    let (cursor, limit) = match query.paging() {
        Ok(p) => p,
        Err(e) => {
            errors.extend(e);
            (Cursor::Start, DEFAULT_LIMIT)
        }
    };
    let after = match query.get("after") {
        None => None,
        Some(text) => match clock::parse_rfc3339_millis(text) {
            Some(ms) => Some(u64::try_from(ms.max(0)).unwrap_or(0)),
            None => {
                errors.push(error_entry(
                    &["query", "after"],
                    "invalid datetime format (RFC 3339 with an offset; send + as %2B)",
                    "value_error.datetime",
                ));
                None
            }
        },
    };
    let subscription_id = match query.get("subscription_id") {
        Some(id) if !is_uuid(id) => {
            errors.push(error_entry(
                &["query", "subscription_id"],
                "value is not a valid uuid",
                "type_error.uuid",
            ));
            None
        }
        other => other,
    };
    if !errors.is_empty() {
        return Reply::unprocessable(errors);
    }
    Reply::json(
        200,
        &state
            .hooks
            .list_events(after, subscription_id, cursor, limit),
    )
}

/// The body as a JSON object, or the 422 FastAPI gives.
fn json_object(body: &[u8]) -> Result<Map<String, Value>, Reply> {
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err(Reply::one_error(
            &["body"],
            "value is not a valid dict",
            "type_error.dict",
        )),
        Err(_) => Err(Reply::one_error(
            &["body"],
            "the body is not valid JSON",
            "value_error.jsondecode",
        )),
    }
}

fn missing(name: &str) -> Value {
    error_entry(&["body", name], "field required", "value_error.missing")
}

fn str_expected(name: &str) -> Value {
    error_entry(&["body", name], "str type expected", "type_error.str")
}

/// The subscription fields a body sets, each checked; errors for every bad one.
#[derive(Default)]
struct SubscriptionFields {
    url: Option<(String, webhooks::Receiver)>,
    events: Option<Vec<String>>,
    secret: Option<String>,
    description: Option<String>,
    enabled: Option<bool>,
}

fn subscription_fields(
    map: &Map<String, Value>,
    required: bool,
    errors: &mut Vec<Value>,
) -> SubscriptionFields {
    let mut fields = SubscriptionFields::default();
    match map.get("url") {
        None | Some(Value::Null) if required => errors.push(missing("url")),
        None | Some(Value::Null) => {}
        Some(Value::String(url)) => match webhooks::parse_receiver(url) {
            Ok(r) => fields.url = Some((url.clone(), r)),
            Err(why) => errors.push(error_entry(&["body", "url"], why, "value_error.url")),
        },
        Some(_) => errors.push(str_expected("url")),
    }
    match map.get("events") {
        None | Some(Value::Null) if required => errors.push(missing("events")),
        None | Some(Value::Null) => {}
        Some(Value::Array(items)) => {
            let events: Vec<String> = items
                .iter()
                .filter_map(|v| v.as_str().map(str::to_owned))
                .collect();
            if events.len() != items.len() || events.iter().any(String::is_empty) {
                errors.push(error_entry(
                    &["body", "events"],
                    "every event type must be a non-empty string",
                    "type_error.str",
                ));
            } else if events.is_empty() {
                errors.push(error_entry(
                    &["body", "events"],
                    "ensure this value has at least 1 items",
                    "value_error.list.min_items",
                ));
            } else {
                fields.events = Some(events);
            }
        }
        Some(_) => errors.push(error_entry(
            &["body", "events"],
            "value is not a valid list",
            "type_error.list",
        )),
    }
    match map.get("shared_secret") {
        None | Some(Value::Null) if required => errors.push(missing("shared_secret")),
        None | Some(Value::Null) => {}
        Some(Value::String(s)) if s.chars().count() >= MIN_SHARED_SECRET_CHARS => {
            fields.secret = Some(s.clone());
        }
        Some(Value::String(_)) => errors.push(error_entry(
            &["body", "shared_secret"],
            "ensure this value has at least 16 characters",
            "value_error.any_str.min_length",
        )),
        Some(_) => errors.push(str_expected("shared_secret")),
    }
    match map.get("description") {
        None | Some(Value::Null) => {}
        Some(Value::String(d)) => fields.description = Some(d.clone()),
        Some(_) => errors.push(str_expected("description")),
    }
    if !required {
        match map.get("status") {
            None | Some(Value::Null) => {}
            Some(Value::String(s)) if s == "enabled" || s == "disabled" => {
                fields.enabled = Some(s == "enabled");
            }
            Some(_) => errors.push(error_entry(
                &["body", "status"],
                "value is not a valid enumeration member; permitted: 'enabled', 'disabled'",
                "type_error.enum",
            )),
        }
    }
    fields
}

fn create_subscription(state: &mut State, body: &[u8]) -> Reply {
    let map = match json_object(body) {
        Ok(m) => m,
        Err(reply) => return reply,
    };
    let mut errors = Vec::new();
    let fields = subscription_fields(&map, true, &mut errors);
    let (Some((url, receiver)), Some(events), Some(secret), true) =
        (fields.url, fields.events, fields.secret, errors.is_empty())
    else {
        return Reply::unprocessable(errors);
    };
    let id = state.new_id();
    let now = clock::rfc3339_millis(clock::now_millis());
    let sub = state.hooks.subscribe(webhooks::NewSubscription {
        id,
        url,
        receiver,
        events,
        secret,
        description: fields.description.unwrap_or_default(),
        now,
    });
    Reply::json(201, &sub.to_json())
}

fn update_subscription(state: &mut State, id: &str, body: &[u8]) -> Reply {
    let map = match json_object(body) {
        Ok(m) => m,
        Err(reply) => return reply,
    };
    let mut errors = Vec::new();
    let fields = subscription_fields(&map, false, &mut errors);
    let Some(sub) = state.hooks.subscription_mut(id) else {
        return not_found();
    };
    if !errors.is_empty() {
        return Reply::unprocessable(errors);
    }
    if let Some((url, receiver)) = fields.url {
        sub.set_url(url, receiver);
    }
    if let Some(events) = fields.events {
        sub.events = events;
    }
    if let Some(secret) = fields.secret {
        sub.set_secret(secret);
    }
    if let Some(description) = fields.description {
        sub.description = description;
    }
    if let Some(enabled) = fields.enabled {
        sub.enabled = enabled;
    }
    sub.updated_at = clock::rfc3339_millis(clock::now_millis());
    Reply::json(200, &sub.to_json())
}

/// Trigger Webhook: the envelope as given, delivered to the subscribers of its type
/// and listed in List Events.
fn trigger_webhook(state: &mut State, body: &[u8], now: u64) -> Reply {
    let map = match json_object(body) {
        Ok(m) => m,
        Err(reply) => return reply,
    };
    let mut errors = Vec::new();
    let uuid_field = |loc: &[&str], value: Option<&Value>, errors: &mut Vec<Value>| match value {
        None | Some(Value::Null) => {
            errors.push(error_entry(loc, "field required", "value_error.missing"));
            None
        }
        Some(Value::String(s)) if is_uuid(s) => Some(s.clone()),
        Some(_) => {
            errors.push(error_entry(
                loc,
                "value is not a valid uuid",
                "type_error.uuid",
            ));
            None
        }
    };
    let event_id = uuid_field(&["body", "event_id"], map.get("event_id"), &mut errors);
    let timestamp = match map.get("timestamp") {
        None | Some(Value::Null) => {
            errors.push(missing("timestamp"));
            None
        }
        Some(Value::String(t)) if clock::parse_rfc3339_millis(t).is_some() => Some(t.clone()),
        Some(_) => {
            errors.push(error_entry(
                &["body", "timestamp"],
                "invalid datetime format",
                "value_error.datetime",
            ));
            None
        }
    };
    let event_type = match map.get("event_type") {
        None | Some(Value::Null) => {
            errors.push(missing("event_type"));
            None
        }
        Some(Value::String(t)) if !t.is_empty() => Some(t.clone()),
        Some(_) => {
            errors.push(str_expected("event_type"));
            None
        }
    };
    let payload = match map.get("payload") {
        None | Some(Value::Null) => {
            errors.push(missing("payload"));
            None
        }
        Some(Value::Object(p)) => {
            for key in webhooks::payload_keys(event_type.as_deref().unwrap_or_default()) {
                uuid_field(&["body", "payload", key], p.get(*key), &mut errors);
            }
            Some(Value::Object(p.clone()))
        }
        Some(_) => {
            errors.push(error_entry(
                &["body", "payload"],
                "value is not a valid dict",
                "type_error.dict",
            ));
            None
        }
    };
    let (Some(event_id), Some(timestamp), Some(event_type), Some(payload), true) =
        (event_id, timestamp, event_type, payload, errors.is_empty())
    else {
        return Reply::unprocessable(errors);
    };
    state.publish_envelope(
        Envelope {
            event_id,
            timestamp,
            event_type,
            payload,
        },
        now,
    );
    Reply::empty(202)
}

/// Fund Account: `count` ACH credits of `amount_usdc` cents to the account, each
/// followed by a `transfers.ach.in.success` event.
fn fund(state: &mut State, body: &[u8], now: u64) -> Reply {
    let map = match json_object(body) {
        Ok(m) => m,
        Err(reply) => return reply,
    };
    let mut errors = Vec::new();
    let account_id = match map.get("account_id") {
        None | Some(Value::Null) => {
            errors.push(missing("account_id"));
            None
        }
        Some(Value::String(s)) if is_uuid(s) => Some(s.clone()),
        Some(_) => {
            errors.push(error_entry(
                &["body", "account_id"],
                "value is not a valid uuid",
                "type_error.uuid",
            ));
            None
        }
    };
    let mut integer = |name: &str, default: Option<u64>, low: u64, high: u64| match map.get(name) {
        None | Some(Value::Null) => match default {
            Some(d) => Some(d),
            None => {
                errors.push(missing(name));
                None
            }
        },
        Some(Value::Number(n)) if n.as_u64().is_some() || n.as_i64().is_some() => {
            match n.as_u64() {
                Some(v) if (low..=high).contains(&v) => Some(v),
                _ => {
                    errors.push(error_entry(
                        &["body", name],
                        &format!("ensure this value is from {low} to {high}"),
                        "value_error.number.not_in_range",
                    ));
                    None
                }
            }
        }
        Some(_) => {
            errors.push(error_entry(
                &["body", name],
                "value is not a valid integer",
                "type_error.integer",
            ));
            None
        }
    };
    let amount = integer("amount_usdc", None, 1, FUND_AMOUNT_EXCLUSIVE_MAX - 1);
    let count = integer("count", Some(1), 1, 9);
    match map.get("company_name") {
        None | Some(Value::Null) => {}
        Some(Value::String(s)) if s.chars().count() <= FUND_COMPANY_NAME_MAX_CHARS => {}
        Some(Value::String(_)) => errors.push(error_entry(
            &["body", "company_name"],
            "ensure this value has at most 16 characters",
            "value_error.any_str.max_length",
        )),
        Some(_) => errors.push(str_expected("company_name")),
    }
    let (Some(account_id), Some(amount), Some(count), true) =
        (account_id, amount, count, errors.is_empty())
    else {
        return Reply::unprocessable(errors);
    };
    let count = u32::try_from(count).unwrap_or(1);
    let Some(account_id) = state.bank.credit(&account_id, amount, count) else {
        return not_found();
    };
    for _ in 0..count {
        state.publish(
            "transfers.ach.in.success",
            json!({ "jiko_account_id": account_id }),
            now,
        );
    }
    Reply::empty(202)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routes_and_templates() {
        let r = |m: &str, p: &str| route(m, p);
        assert_eq!(
            r("POST", "/api/v1/login/"),
            Route::Endpoint(Endpoint::Login)
        );
        assert_eq!(r("GET", "/api/v1/login/"), Route::MethodNotAllowed);
        assert_eq!(r("GET", "/api/v1/login"), Route::NotFound);
        assert_eq!(
            r("DELETE", "/api/v1/subscriptions/x/"),
            Route::Endpoint(Endpoint::DeleteSubscription("x".into()))
        );
        assert_eq!(
            r("PUT", "/api/v1/subscriptions/x/"),
            Route::MethodNotAllowed
        );
        assert_eq!(
            r("GET", "/_simulator/stats"),
            Route::Endpoint(Endpoint::Stats)
        );
        assert_eq!(r("POST", "/_simulator/stats"), Route::MethodNotAllowed);
        assert_eq!(
            r("GET", "/api/v1/events/types/"),
            Route::Endpoint(Endpoint::ListEventTypes)
        );
        assert_eq!(
            r("GET", "/api/v1/jiko-accounts/a/portals/"),
            Route::Endpoint(Endpoint::ListPortals("a".into()))
        );
        assert_eq!(r("GET", "/api/v1/customers/"), Route::NotFound);
        assert_eq!(
            Endpoint::Apply("x".into()).template(),
            "POST /api/v1/applications/{id}/apply/"
        );
    }

    #[test]
    fn queries_are_percent_decoded() {
        let q = Query::parse(Some(
            "after=2024-01-01T00:00:00%2B00:00&limit=5&x&cursor=cD0x&s=a+b%zz%4",
        ));
        assert_eq!(q.get("after"), Some("2024-01-01T00:00:00+00:00"));
        assert_eq!(q.number("limit", 30, 1, 100), Ok(5));
        assert_eq!(q.get("x"), Some(""));
        assert_eq!(q.get("s"), Some("a b%zz%4"));
        assert!(q.number("missing", 30, 1, 100) == Ok(30));
        let bad = Query::parse(Some("limit=0"));
        assert!(bad.number("limit", 30, 1, 100).is_err());
        let bad = Query::parse(Some("limit=101"));
        assert!(bad.paging().is_err());
        let bad = Query::parse(Some("cursor=junk"));
        assert!(bad.paging().is_err());
    }
}
