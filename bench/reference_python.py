"""REFERENCE, NOT THE SDK: what a Python team would write by hand, the way Jiko's own
samples do it (re for the rules, json.dumps with compact separators, hmac + base64,
uuid4). `make bench` times it against jiko_onboarding. It implements the same rules as
the SDK's validation so that both sides do the same work: python_bench.py checks, before
timing, that both give the same (path, code) pairs on broken copies of the application."""
import base64
import datetime
import hashlib
import hmac
import json
import re
import uuid

SSN = re.compile(r"^\d{9}$")
PHONE = re.compile(r"^\+?[1-9]\d{1,14}$")
EMAIL = re.compile(r"^[^\s@\"(),:;<>\[\\\]]+@([^\s@.]{1,63}\.)+[^\s@.\d]{2,}$")
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$")
ZIP = re.compile(r"^\d{5}(-\d{4})?$")
COUNTRY = re.compile(r"^[A-Z]{2,3}$")
STATES = set("AA AE AP AK AL AR AZ CA CO CT DC DE FL GA GU HI IA ID IL IN KS KY LA MA MD ME MI MN MO MS MT NC ND NE NH NJ NM NV NY OH OK OR PA PR RI SC SD TN TX UT VA VI VT WA WI WV WY".split())
EMPLOYMENT = {"EMPLOYED", "INDEPENDENT", "RETIRED", "STUDENT", "UNEMPLOYED"}
INCOME = {"BELOW_50K", "BETWEEN_50K_AND_100K", "BETWEEN_100K_AND_250K", "OVER_250K"}
NET_WORTH = {"BELOW_50K", "BETWEEN_50K_AND_200K", "BETWEEN_200K_AND_1M", "BETWEEN_1M_AND_5M", "OVER_5M"}
ID_TYPES = {"SSN", "PASSPORT", "TIN", "DRIVERS_LICENSE"}
FIELDS = {
    "": {"identification_number", "identification_type", "name", "email", "phone_number", "date_of_birth",
         "investment_profile", "agreement_consent", "address", "citizenship_country", "originally_onboarded_at"},
    "name": {"first_name", "middle_name", "last_name"},
    "investment_profile": {"employment_status", "income", "net_worth", "occupation", "bd_association",
                           "director_policy_maker_of_company"},
    "agreement_consent": {"version", "timestamp"},
    "address": {"street_address", "street_address2", "city", "postal_code", "state", "country"},
}


def _text(errors, obj, path, key, required, max_len=None):
    value = obj.get(key)
    full = f"{path}.{key}" if path else key
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            errors.append({"path": full, "code": "required"})
        return None
    if not isinstance(value, str):
        errors.append({"path": full, "code": "invalid_type"})
        return None
    if max_len is not None and len(value) > max_len:
        errors.append({"path": full, "code": "too_long"})
        return None
    return value


def _unknown(errors, obj, path):
    for key in obj:
        if key not in FIELDS[path]:
            errors.append({"path": f"{path}.{key}" if path else key, "code": "unknown_field"})


def _object(errors, app, key):
    value = app.get(key)
    if value is None:
        errors.append({"path": key, "code": "required"})
        return None
    if not isinstance(value, dict):
        errors.append({"path": key, "code": "invalid_type"})
        return None
    _unknown(errors, value, key)
    return value


def _stamp(errors, obj, path, key, required, today):
    """An RFC 3339 date-time not after `today` (before noon UTC of the next day)."""
    value = _text(errors, obj, path, key, required)
    full = f"{path}.{key}" if path else key
    if value is None:
        return
    try:
        # fromisoformat before Python 3.11 takes neither "Z" nor a lower-case "t".
        iso = value[:10] + "T" + value[11:].replace("Z", "+00:00").replace("z", "+00:00")
        at = datetime.datetime.fromisoformat(iso) if DATETIME.match(value) else None
    except ValueError:
        at = None
    if at is None:
        errors.append({"path": full, "code": "invalid_datetime"})
        return
    limit = datetime.datetime(today.year, today.month, today.day, 12, tzinfo=datetime.timezone.utc)
    if at >= limit + datetime.timedelta(days=1):
        errors.append({"path": full, "code": "in_future"})


def validate(app, today):
    if not isinstance(app, dict):
        return [{"path": "", "code": "invalid_type"}]
    errors = []
    _unknown(errors, app, "")
    id_type = _text(errors, app, "", "identification_type", False)
    if id_type is not None and id_type not in ID_TYPES:
        errors.append({"path": "identification_type", "code": "invalid_enum"})
        id_type = None
    number = _text(errors, app, "", "identification_number", True)
    if number is not None and id_type in (None, "SSN") and not SSN.match(number):
        errors.append({"path": "identification_number", "code": "invalid_ssn"})
    name = _object(errors, app, "name")
    if name is not None:
        for key, required in (("first_name", True), ("middle_name", False), ("last_name", True)):
            _text(errors, name, "name", key, required, 50)
    email = _text(errors, app, "", "email", True, 254)
    if email is not None and not EMAIL.match(email):
        errors.append({"path": "email", "code": "invalid_email"})
    phone = _text(errors, app, "", "phone_number", True)
    if phone is not None and not PHONE.match(phone):
        errors.append({"path": "phone_number", "code": "invalid_phone"})
    dob = _text(errors, app, "", "date_of_birth", True)
    if dob is not None:
        try:
            born = datetime.date.fromisoformat(dob) if DATE.match(dob) else None
        except ValueError:
            born = None
        if born is None:
            errors.append({"path": "date_of_birth", "code": "invalid_date"})
        elif born > today:
            errors.append({"path": "date_of_birth", "code": "in_future"})
        elif (born.year + 18, born.month, born.day) > (today.year, today.month, today.day):
            errors.append({"path": "date_of_birth", "code": "under_age"})
        elif born.year < 1900:
            errors.append({"path": "date_of_birth", "code": "out_of_range"})
    profile = _object(errors, app, "investment_profile")
    if profile is not None:
        _profile(errors, profile)
    consent = _object(errors, app, "agreement_consent")
    if consent is not None:
        _text(errors, consent, "agreement_consent", "version", True)
        _stamp(errors, consent, "agreement_consent", "timestamp", True, today)
    address = _object(errors, app, "address")
    if address is not None:
        _address(errors, address)
    citizenship = _text(errors, app, "", "citizenship_country", False)
    if citizenship is not None and not COUNTRY.match(citizenship):
        errors.append({"path": "citizenship_country", "code": "invalid_country"})
    _stamp(errors, app, "", "originally_onboarded_at", False, today)
    return errors


def _profile(errors, profile):
    status = _text(errors, profile, "investment_profile", "employment_status", True)
    if status is not None and status not in EMPLOYMENT:
        errors.append({"path": "investment_profile.employment_status", "code": "invalid_enum"})
    income = _text(errors, profile, "investment_profile", "income", True)
    if income is not None and income not in INCOME:
        errors.append({"path": "investment_profile.income", "code": "invalid_enum"})
    worth = _text(errors, profile, "investment_profile", "net_worth", True)
    if worth is not None and worth not in NET_WORTH:
        errors.append({"path": "investment_profile.net_worth", "code": "invalid_enum"})
    occupation = _text(errors, profile, "investment_profile", "occupation", status == "EMPLOYED", 200)
    if occupation is not None and status == "EMPLOYED" and len(occupation.strip()) < 2:
        errors.append({"path": "investment_profile.occupation", "code": "too_short"})
    _text(errors, profile, "investment_profile", "bd_association", False, 200)
    _text(errors, profile, "investment_profile", "director_policy_maker_of_company", False, 200)


def _address(errors, address):
    for key in ("street_address", "city"):
        _text(errors, address, "address", key, True, 250)
    _text(errors, address, "address", "street_address2", False, 250)
    postal = _text(errors, address, "address", "postal_code", True, 50)
    country = _text(errors, address, "address", "country", True)
    if country is not None and not COUNTRY.match(country):
        errors.append({"path": "address.country", "code": "invalid_country"})
    in_us = country is not None and country.upper() in ("US", "USA")
    state = _text(errors, address, "address", "state", in_us)
    if in_us and state is not None and state not in STATES:
        errors.append({"path": "address.state", "code": "invalid_state"})
    if in_us and postal is not None and not ZIP.match(postal):
        errors.append({"path": "address.postal_code", "code": "invalid_postal_code"})


def sign(secret: bytes, key: str, path: str, body: bytes) -> str:
    return base64.b64encode(hmac.new(secret, key.encode() + path.encode() + body, hashlib.sha256).digest()).decode()


def create_application(base_url, secret: bytes, token, app, today):
    errors = validate(app, today)
    if errors:
        raise ValueError(errors)
    path = "/api/v1/applications/"
    body = json.dumps(app, separators=(",", ":"), ensure_ascii=False).encode()
    key = str(uuid.uuid4())
    headers = [("Authorization", "Bearer " + token), ("x-jiko-idempotency", key),
               ("x-jiko-signature", sign(secret, key, path, body)),
               ("Content-Type", "application/json"), ("Content-Length", str(len(body)))]
    return {"method": "POST", "url": base_url + path, "path": path, "headers": headers, "body": body, "idempotency_key": key}


class Application:
    """The same attributes the SDK's Application exposes."""
    __slots__ = ("id", "status", "customer_id", "documents", "id_verification_documents_needed",
                 "identification_number_verification_document_needed", "address_verification_document_needed", "raw")

    def __init__(self, data):
        self.id = data["id"]
        self.status = data["status"]
        self.customer_id = data.get("customer_id")
        self.documents = [dict(d) for d in data.get("documents") or []]
        self.id_verification_documents_needed = bool(data.get("id_verification_documents_needed"))
        self.identification_number_verification_document_needed = bool(
            data.get("identification_number_verification_document_needed") or data.get("identification_number_document_needed"))
        self.address_verification_document_needed = bool(data.get("address_verification_document_needed"))
        self.raw = data


def parse_application(status: int, body: bytes) -> Application:
    if not 200 <= status < 300:
        raise RuntimeError(status)
    return Application(json.loads(body))
