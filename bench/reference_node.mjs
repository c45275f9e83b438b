// REFERENCE, NOT THE SDK: what a Node team would write by hand, the way Jiko's own
// samples do it (regular expressions for the rules, JSON.stringify, crypto.createHmac,
// crypto.randomUUID). `make bench` times it against the jiko-onboarding package. It
// implements the same rules as the SDK's validation so that both sides do the same work:
// node_bench.mjs checks, before timing, that both give the same (path, code) pairs on
// broken copies of the application.
import crypto from "node:crypto";

const SSN = /^\d{9}$/;
const PHONE = /^\+?[1-9]\d{1,14}$/;
const EMAIL = /^[^\s@"(),:;<>[\\\]]+@([^\s@.]{1,63}\.)+[^\s@.\d]{2,}$/u;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATETIME = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;
const ZIP = /^\d{5}(-\d{4})?$/;
const COUNTRY = /^[A-Z]{2,3}$/;
const STATES = new Set("AA AE AP AK AL AR AZ CA CO CT DC DE FL GA GU HI IA ID IL IN KS KY LA MA MD ME MI MN MO MS MT NC ND NE NH NJ NM NV NY OH OK OR PA PR RI SC SD TN TX UT VA VI VT WA WI WV WY".split(" "));
const EMPLOYMENT = new Set(["EMPLOYED", "INDEPENDENT", "RETIRED", "STUDENT", "UNEMPLOYED"]);
const INCOME = new Set(["BELOW_50K", "BETWEEN_50K_AND_100K", "BETWEEN_100K_AND_250K", "OVER_250K"]);
const NET_WORTH = new Set(["BELOW_50K", "BETWEEN_50K_AND_200K", "BETWEEN_200K_AND_1M", "BETWEEN_1M_AND_5M", "OVER_5M"]);
const ID_TYPES = new Set(["SSN", "PASSPORT", "TIN", "DRIVERS_LICENSE"]);
const FIELDS = {
  "": new Set(["identification_number", "identification_type", "name", "email", "phone_number", "date_of_birth",
    "investment_profile", "agreement_consent", "address", "citizenship_country", "originally_onboarded_at"]),
  name: new Set(["first_name", "middle_name", "last_name"]),
  investment_profile: new Set(["employment_status", "income", "net_worth", "occupation", "bd_association", "director_policy_maker_of_company"]),
  agreement_consent: new Set(["version", "timestamp"]),
  address: new Set(["street_address", "street_address2", "city", "postal_code", "state", "country"]),
};

// Keys outside the schema, and nested objects that are missing or not objects.
function unknown(errors, obj, path) {
  for (const key of Object.keys(obj)) {
    if (!FIELDS[path].has(key)) errors.push({ path: path ? `${path}.${key}` : key, code: "unknown_field" });
  }
}
function object(errors, app, key) {
  const value = app[key];
  if (value === undefined || value === null) { errors.push({ path: key, code: "required" }); return undefined; }
  if (typeof value !== "object" || Array.isArray(value)) { errors.push({ path: key, code: "invalid_type" }); return undefined; }
  unknown(errors, value, key);
  return value;
}
// An RFC 3339 date-time not after `today` (before noon UTC of the next day).
function stamp(errors, obj, path, key, required, today) {
  const value = text(errors, obj, path, key, required);
  const full = path ? `${path}.${key}` : key;
  if (value === undefined) return;
  const at = DATETIME.test(value) ? Date.parse(value) : NaN;
  if (Number.isNaN(at)) { errors.push({ path: full, code: "invalid_datetime" }); return; }
  const [ty, tm, td] = today.split("-").map(Number);
  if (at >= Date.UTC(ty, tm - 1, td + 1, 12)) errors.push({ path: full, code: "in_future" });
}

function text(errors, obj, path, key, required, max) {
  const value = obj?.[key];
  const full = path ? `${path}.${key}` : key;
  if (value === undefined || value === null || (typeof value === "string" && value.trim() === "")) {
    if (required) errors.push({ path: full, code: "required" });
    return undefined;
  }
  if (typeof value !== "string") { errors.push({ path: full, code: "invalid_type" }); return undefined; }
  if (max !== undefined && [...value].length > max) { errors.push({ path: full, code: "too_long" }); return undefined; }
  return value;
}

export function validate(app, today) {
  const errors = [];
  if (typeof app !== "object" || app === null || Array.isArray(app)) return [{ path: "", code: "invalid_type" }];
  unknown(errors, app, "");
  let idType = text(errors, app, "", "identification_type", false);
  if (idType !== undefined && !ID_TYPES.has(idType)) {
    errors.push({ path: "identification_type", code: "invalid_enum" });
    idType = undefined;
  }
  const number = text(errors, app, "", "identification_number", true);
  if (number !== undefined && (idType ?? "SSN") === "SSN" && !SSN.test(number)) errors.push({ path: "identification_number", code: "invalid_ssn" });
  const name = object(errors, app, "name");
  if (name) for (const [key, required] of [["first_name", true], ["middle_name", false], ["last_name", true]]) text(errors, name, "name", key, required, 50);
  const email = text(errors, app, "", "email", true, 254);
  if (email !== undefined && !EMAIL.test(email)) errors.push({ path: "email", code: "invalid_email" });
  const phone = text(errors, app, "", "phone_number", true);
  if (phone !== undefined && !PHONE.test(phone)) errors.push({ path: "phone_number", code: "invalid_phone" });
  const dob = text(errors, app, "", "date_of_birth", true);
  if (dob !== undefined) {
    const m = DATE.exec(dob);
    const d = m && new Date(Date.UTC(+m[1], +m[2] - 1, +m[3]));
    if (!m || d.getUTCDate() !== +m[3] || d.getUTCMonth() !== +m[2] - 1) errors.push({ path: "date_of_birth", code: "invalid_date" });
    else {
      const [ty, tm, td] = today.split("-").map(Number);
      const after = (y, mo, da) => y > ty || (y === ty && (mo > tm || (mo === tm && da > td)));
      if (after(+m[1], +m[2], +m[3])) errors.push({ path: "date_of_birth", code: "in_future" });
      else if (after(+m[1] + 18, +m[2], +m[3])) errors.push({ path: "date_of_birth", code: "under_age" });
      else if (+m[1] < 1900) errors.push({ path: "date_of_birth", code: "out_of_range" });
    }
  }
  const p = object(errors, app, "investment_profile");
  if (p) profile(errors, p);
  const c = object(errors, app, "agreement_consent");
  if (c) {
    text(errors, c, "agreement_consent", "version", true);
    stamp(errors, c, "agreement_consent", "timestamp", true, today);
  }
  const a = object(errors, app, "address");
  if (a) address(errors, a);
  const citizenship = text(errors, app, "", "citizenship_country", false);
  if (citizenship !== undefined && !COUNTRY.test(citizenship)) errors.push({ path: "citizenship_country", code: "invalid_country" });
  stamp(errors, app, "", "originally_onboarded_at", false, today);
  return errors;
}

function profile(errors, p) {
  const status = text(errors, p, "investment_profile", "employment_status", true);
  if (status !== undefined && !EMPLOYMENT.has(status)) errors.push({ path: "investment_profile.employment_status", code: "invalid_enum" });
  const income = text(errors, p, "investment_profile", "income", true);
  if (income !== undefined && !INCOME.has(income)) errors.push({ path: "investment_profile.income", code: "invalid_enum" });
  const worth = text(errors, p, "investment_profile", "net_worth", true);
  if (worth !== undefined && !NET_WORTH.has(worth)) errors.push({ path: "investment_profile.net_worth", code: "invalid_enum" });
  const occupation = text(errors, p, "investment_profile", "occupation", status === "EMPLOYED", 200);
  if (occupation !== undefined && status === "EMPLOYED" && [...occupation.trim()].length < 2) errors.push({ path: "investment_profile.occupation", code: "too_short" });
  text(errors, p, "investment_profile", "bd_association", false, 200);
  text(errors, p, "investment_profile", "director_policy_maker_of_company", false, 200);
}

function address(errors, a) {
  text(errors, a, "address", "street_address", true, 250);
  text(errors, a, "address", "street_address2", false, 250);
  text(errors, a, "address", "city", true, 250);
  const postal = text(errors, a, "address", "postal_code", true, 50);
  const country = text(errors, a, "address", "country", true);
  if (country !== undefined && !COUNTRY.test(country)) errors.push({ path: "address.country", code: "invalid_country" });
  const inUs = country !== undefined && ["US", "USA"].includes(country.toUpperCase());
  const state = text(errors, a, "address", "state", inUs);
  if (inUs && state !== undefined && !STATES.has(state)) errors.push({ path: "address.state", code: "invalid_state" });
  if (inUs && postal !== undefined && !ZIP.test(postal)) errors.push({ path: "address.postal_code", code: "invalid_postal_code" });
}

export function sign(secret, key, path, body) {
  return crypto.createHmac("sha256", secret).update(key).update(path).update(body).digest("base64");
}

export function createApplication(baseUrl, secret, token, app, today) {
  const errors = validate(app, today);
  if (errors.length) throw new Error("invalid application");
  const path = "/api/v1/applications/";
  const body = Buffer.from(JSON.stringify(app));
  const key = crypto.randomUUID();
  return {
    method: "POST", url: baseUrl + path, path, body, idempotencyKey: key,
    headers: [["Authorization", `Bearer ${token}`], ["x-jiko-idempotency", key], ["x-jiko-signature", sign(secret, key, path, body)],
      ["Content-Type", "application/json"], ["Content-Length", String(body.length)]],
  };
}
