//! Routing and the HTTP checks: bearer token, idempotency key, signature, body limits
//! and the 422 body shape. Business behaviour lives in `state` (and, below it, in the
//! core); moving bytes lives in `server`.

use jiko_onboarding::{
    check_upload, documents::OTHER_DOCUMENT_LIMIT_BYTES, is_uuid, validate_application_json,
    validation::validate_credentials, AgreementCategory, AgreementDocument, AgreementType,
    Agreements, CreateApplicationRequest, DocumentErrorCode, DocumentType, FieldError,
    UploadedDocument,
};
use serde_json::{json, Value};

use crate::clock;
use crate::server::{BodyError, Request};
use crate::state::{OutcomeTiming, Refusal};
use crate::Shared;

/// JSON bodies larger than this are refused with 413, before they are read.
pub const JSON_BODY_LIMIT: u64 = 1 << 20;
/// Upload bodies larger than the API's exclusive bound for any document type (the
/// core's `OTHER_DOCUMENT_LIMIT_BYTES`) are refused with 413 before they are read; up
/// to it they are read and the core's `check_upload` says whether the type allows the
/// size (422 `too_large` when not).
pub const UPLOAD_BODY_LIMIT: u64 = OTHER_DOCUMENT_LIMIT_BYTES as u64;

/// The version of the agreement bundle the simulator serves.
pub const AGREEMENTS_VERSION: &str = "1.0.0";

/// A JSON answer.
pub(crate) struct Reply {
    pub status: u16,
    pub body: Value,
}

impl Reply {
    fn ok(status: u16, body: Value) -> Self {
        Reply { status, body }
    }

    pub(crate) fn detail(status: u16, text: &str) -> Self {
        Reply {
            status,
            body: json!({ "detail": text }),
        }
    }

    fn unprocessable(entries: Vec<Value>) -> Self {
        Reply {
            status: 422,
            body: json!({ "detail": entries }),
        }
    }

    fn one_error(loc: &[&str], msg: &str, kind: &str) -> Self {
        Reply::unprocessable(vec![json!({ "loc": loc, "msg": msg, "type": kind })])
    }
}

fn internal(_: impl std::fmt::Display) -> Reply {
    Reply::detail(500, "Internal Server Error")
}

/// Answers one request. Never panics; every failure is a status.
pub(crate) fn answer(shared: &Shared, request: &mut Request<'_>) -> Reply {
    let method = request.method().to_owned();
    let target = request.target().to_owned();
    route(shared, request, &method, &target)
}

/// The path of a request target: the query is not part of what is signed.
pub(crate) fn path_of(target: &str) -> &str {
    target.split('?').next().unwrap_or(target)
}

fn route(shared: &Shared, request: &mut Request<'_>, method: &str, target: &str) -> Reply {
    let path = path_of(target);
    // The guide's paths end with '/'; one without it is not found (no redirect: a
    // redirect would change the signed path).
    let segments: Option<Vec<&str>> = path
        .strip_prefix("/api/v1/")
        .and_then(|p| p.strip_suffix('/'))
        .map(|p| p.split('/').collect());
    let Some(segments) = segments else {
        return Reply::detail(404, "Not Found");
    };
    let is_get = method == "GET";
    let is_post = method == "POST";
    match segments.as_slice() {
        ["login"] if is_post => login(shared, request),
        ["agreements"] if is_get => {
            signed(shared, request, path, JSON_BODY_LIMIT, |_, _| agreements())
        }
        ["applications"] if is_post => signed(shared, request, path, JSON_BODY_LIMIT, create),
        ["applications", id] if is_get => {
            let id = (*id).to_owned();
            signed(shared, request, path, JSON_BODY_LIMIT, move |s, _| {
                get(s, &id)
            })
        }
        ["applications", id, "apply"] if is_post => {
            let id = (*id).to_owned();
            signed(shared, request, path, JSON_BODY_LIMIT, move |s, _| {
                apply(s, &id)
            })
        }
        ["applications", id, "documents", document_type, "file"] if is_post => {
            upload(shared, request, id, document_type)
        }
        ["login"]
        | ["agreements"]
        | ["applications"]
        | ["applications", _]
        | ["applications", _, "apply"]
        | ["applications", _, "documents", _, "file"] => Reply::detail(405, "Method Not Allowed"),
        _ => Reply::detail(404, "Not Found"),
    }
}

fn body_reply(e: BodyError) -> Reply {
    match e {
        BodyError::TooLarge => Reply::detail(413, "Request body too large"),
        BodyError::Incomplete => Reply::detail(400, "The request body is incomplete"),
        BodyError::Malformed => Reply::detail(400, "The chunked request body is malformed"),
        BodyError::TimedOut => Reply::detail(408, "The request body did not arrive in time"),
        BodyError::Busy => Reply::detail(503, "Too many large request bodies at once; retry"),
    }
}

/// The bearer token check: 401 when missing, unknown or expired.
fn authenticate(shared: &Shared, request: &Request<'_>) -> Result<(), Reply> {
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
    if shared.lock().token_valid(token, clock::now_millis()) {
        Ok(())
    } else {
        Err(Reply::detail(401, "Invalid or expired token"))
    }
}

/// The `x-jiko-idempotency` header: present and a UUID, else 422.
fn idempotency_key(request: &Request<'_>) -> Result<String, Reply> {
    match request.header("x-jiko-idempotency").map(str::trim) {
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

/// Refuses a key used within the hour (409), else records it.
fn claim_key(shared: &Shared, key: &str) -> Result<(), Reply> {
    if shared.lock().use_key(key, clock::now_millis()) {
        Ok(())
    } else {
        Err(Reply::detail(
            409,
            "The idempotency key was already used within the last hour",
        ))
    }
}

/// A signed endpoint: token, idempotency key, signature over exactly the received
/// path and body (the core's `Signer::verify`), then the key is claimed and the
/// handler runs with the body.
fn signed(
    shared: &Shared,
    request: &mut Request<'_>,
    path: &str,
    limit: u64,
    handler: impl FnOnce(&Shared, &[u8]) -> Reply,
) -> Reply {
    let body = match request.read_body(limit) {
        Ok(b) => b,
        Err(e) => return body_reply(e),
    };
    if let Err(reply) = authenticate(shared, request) {
        return reply;
    }
    let key = match idempotency_key(request) {
        Ok(k) => k,
        Err(reply) => return reply,
    };
    let Some(signature) = request.header("x-jiko-signature") else {
        return Reply::detail(401, "Missing signature");
    };
    if !shared.signer.verify(&key, path, &body, signature) {
        return Reply::detail(401, "Invalid signature");
    }
    if let Err(reply) = claim_key(shared, &key) {
        return reply;
    }
    handler(shared, &body)
}

fn login(shared: &Shared, request: &mut Request<'_>) -> Reply {
    let body = match request.read_body(JSON_BODY_LIMIT) {
        Ok(b) => b,
        Err(e) => return body_reply(e),
    };
    let Ok(value) = serde_json::from_slice::<Value>(&body) else {
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
            errors.push(json!({"loc": ["body", name], "msg": "field required", "type": "value_error.missing"}));
            None
        }
        Some(_) => {
            errors.push(json!({"loc": ["body", name], "msg": "str type expected", "type": "type_error.str"}));
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
    Reply::ok(
        200,
        json!({ "token": token, "expires": clock::rfc3339(expires_seconds) }),
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
        Ok(v) => Reply::ok(200, v),
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
            Reply::ok(status, v)
        }
        Err(e) => internal(e),
    }
}

fn refusal(r: Refusal) -> Reply {
    match r {
        Refusal::NotFound => Reply::detail(404, "Not Found"),
        Refusal::Conflict(why) => Reply::detail(409, why),
    }
}

fn create(shared: &Shared, body: &[u8]) -> Reply {
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
    let app = shared.lock().create(request, clock::now_seconds());
    application_reply(201, &app)
}

fn timing(shared: &Shared) -> OutcomeTiming {
    OutcomeTiming {
        after_polls: shared.config.outcome_after_polls,
        after_millis: shared.config.outcome_after_millis,
    }
}

fn checked_application_id(id: &str) -> Result<(), Reply> {
    if is_uuid(id) {
        Ok(())
    } else {
        Err(Reply::one_error(
            &["path", "application_id"],
            "value is not a valid uuid",
            "type_error.uuid",
        ))
    }
}

fn get(shared: &Shared, id: &str) -> Reply {
    if let Err(reply) = checked_application_id(id) {
        return reply;
    }
    let result = shared.lock().get(id, timing(shared), clock::now_millis());
    match result {
        Ok(app) => application_reply(200, &app),
        Err(r) => refusal(r),
    }
}

fn apply(shared: &Shared, id: &str) -> Reply {
    if let Err(reply) = checked_application_id(id) {
        return reply;
    }
    let result = shared.lock().apply(id, timing(shared), clock::now_millis());
    match result {
        Ok(app) => application_reply(200, &app),
        Err(r) => refusal(r),
    }
}

/// Upload Document: bearer token and idempotency key, no signature (as the guide
/// says); the bytes are checked by the core's `check_upload`.
fn upload(shared: &Shared, request: &mut Request<'_>, id: &str, document_type: &str) -> Reply {
    if let Err(reply) = authenticate(shared, request) {
        return reply;
    }
    let key = match idempotency_key(request) {
        Ok(k) => k,
        Err(reply) => return reply,
    };
    if let Err(reply) = claim_key(shared, &key) {
        return reply;
    }
    if let Err(reply) = checked_application_id(id) {
        return reply;
    }
    let document_type = DocumentType::parse(document_type);
    if !document_type.is_known() {
        return Reply::one_error(
            &["path", "document_type"],
            "value is not a valid document type",
            "type_error.enum",
        );
    }
    let Some(content_type) = request.header("content-type").map(str::to_owned) else {
        return Reply::one_error(
            &["header", "content-type"],
            "field required",
            "value_error.missing",
        );
    };
    // Past the bound of every document type: 413 before a byte is read. Within it,
    // the core decides (422 too_large for a type with a smaller limit).
    let bytes = match request.read_body(UPLOAD_BODY_LIMIT) {
        Ok(b) => b,
        Err(e) => return body_reply(e),
    };
    if let Err(e) = check_upload(&document_type, &content_type, &bytes) {
        let (loc, kind) = match e.code {
            DocumentErrorCode::Empty => ("content-length", "empty"),
            DocumentErrorCode::TooLarge => ("content-length", "too_large"),
            DocumentErrorCode::WrongType => ("content-type", "wrong_type"),
        };
        return Reply::one_error(&["header", loc], &e.message, kind);
    }
    let result = shared.lock().upload(id, document_type, clock::now_millis());
    match result {
        Ok(document_id) => match serde_json::to_value(UploadedDocument {
            success: true,
            document_id,
        }) {
            Ok(v) => Reply::ok(200, v),
            Err(e) => internal(e),
        },
        Err(r) => refusal(r),
    }
}
