// The demo: validates the form as the user types and reads a pasted application, with
// the same rules the server-side SDK applies. No secret: no Client, no Signer here.
import {
  validateApplication,
  parseApplication,
  requiredDocuments,
  nextAction,
  sandboxScenario,
  version,
  JikoError,
} from "jiko-onboarding/browser";

const form = document.getElementById("application");
const touched = new Set();

document.getElementById("version").textContent = version();

/** The form as a Create Application body: empty fields are left out. */
function readApplication() {
  const app = {};
  for (const el of form.elements) {
    if (!el.name || el.name === "consent") continue;
    const value = el.value.trim();
    if (value === "") continue;
    const keys = el.name.split(".");
    let target = app;
    for (const k of keys.slice(0, -1)) target = target[k] ??= {};
    target[keys.at(-1)] = value;
  }
  if (form.elements.consent.checked) {
    app.agreement_consent = { version: "1", timestamp: new Date().toISOString() };
  }
  return app;
}

/** The form control that shows an error at this path. */
function controlFor(path) {
  if (path === "agreement_consent" || path.startsWith("agreement_consent.")) return form.elements.consent;
  return form.elements.namedItem(path);
}

function errorSlot(control) {
  const label = control.closest("label");
  let slot = label.querySelector(".field-error");
  if (!slot) {
    slot = document.createElement("span");
    slot.className = "field-error";
    label.append(slot);
  }
  return slot;
}

function render() {
  const errors = validateApplication(readApplication());
  const shown = errors.filter((e) => {
    const control = controlFor(e.path);
    return control && touched.has(control.name);
  });
  for (const el of form.elements) {
    if (!el.name) continue;
    const mine = shown.filter((e) => controlFor(e.path) === el);
    el.setAttribute("aria-invalid", mine.length > 0 ? "true" : "false");
    errorSlot(el).textContent = mine.map((e) => e.message).join("; ");
  }
  const list = document.getElementById("errors");
  list.replaceChildren(
    ...shown.map((e) => {
      const li = document.createElement("li");
      li.dataset.path = e.path;
      li.dataset.code = e.code;
      li.textContent = `${e.path}: ${e.message}`;
      return li;
    }),
  );
  const summary = document.getElementById("summary");
  const remaining = errors.length - shown.length;
  summary.className = errors.length === 0 ? "ok" : "";
  summary.textContent =
    errors.length === 0
      ? "Ready to submit."
      : `${shown.length} problem${shown.length === 1 ? "" : "s"} in what you entered` +
        (remaining > 0 ? `, ${remaining} more to complete.` : ".");

  const ssn = form.elements.identification_number.value.trim();
  const sandbox = document.getElementById("sandbox");
  if (/^\d{9}$/.test(ssn)) {
    const s = sandboxScenario(ssn);
    const flags = [
      s.id_verification_documents_needed && "ID documents",
      s.identification_number_document_needed && "SSN proof",
      s.address_verification_document_needed && "proof of address",
    ].filter(Boolean);
    sandbox.textContent =
      `In Jiko's sandbox this SSN leads to ${s.status_after_apply}` +
      (flags.length ? ` (${flags.join(", ")}), then ${s.status_after_documents}.` : ".");
  } else {
    sandbox.textContent = "";
  }
}

form.addEventListener("input", (event) => {
  if (event.target.name) touched.add(event.target.name);
  render();
});
form.addEventListener("focusout", (event) => {
  if (event.target.name && event.target.value !== "") touched.add(event.target.name);
  render();
});
render();

// The paste box: status, required documents and next step of a server response.
const NEXT = {
  apply: () => "Apply (submit the application for KYC)",
  upload_documents: (a) => `Upload ${a.requirements.length} document${a.requirements.length === 1 ? "" : "s"}`,
  wait: (a) =>
    ({
      kyc_in_progress: "Wait: automatic KYC is running",
      manual_review: "Wait: a person is reviewing the application",
      documents_in_review: "Wait: the documents are being reviewed",
    })[a.reason] ?? `Wait (${a.reason})`,
  approved: (a) => `Approved${a.customer_id ? ` (customer ${a.customer_id})` : ""}`,
  rejected: () => "Rejected (final)",
  unknown: (a) => `Unknown status ${a.status}: check the API reference`,
};

const pasted = document.getElementById("application-json");
pasted.addEventListener("input", () => {
  const status = document.getElementById("status");
  const next = document.getElementById("next-action");
  const documents = document.getElementById("documents");
  const error = document.getElementById("paste-error");
  status.textContent = next.textContent = "–";
  documents.replaceChildren();
  error.textContent = "";
  const text = pasted.value.trim();
  if (!text) return;
  try {
    const app = parseApplication(200, text);
    status.textContent = app.status;
    const action = nextAction(app);
    next.textContent = (NEXT[action.kind] ?? (() => action.kind))(action);
    documents.replaceChildren(
      ...requiredDocuments(app).map((r) => {
        const li = document.createElement("li");
        li.dataset.flag = r.flag;
        li.textContent = r.one_of.join(" or ");
        return li;
      }),
    );
    if (documents.children.length === 0) {
      const li = document.createElement("li");
      li.textContent = "None";
      documents.append(li);
    }
  } catch (e) {
    error.textContent = e instanceof JikoError ? `${e.code}: ${e.message}` : String(e);
  }
});
