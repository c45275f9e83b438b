// CommonJS users: `require` types come from index.d.cts.
import jiko = require("jiko-onboarding");

const client = new jiko.Client({ base_url: "http://127.0.0.1:8080" }, "shared-secret");
const request: jiko.PreparedRequest = client.listAgreements("token");
const application: jiko.Application = jiko.parseApplication(200, '{"id":"x","status":"CREATED"}');
const next: jiko.NextAction = jiko.nextAction(application);

function code(e: unknown): string {
  if (e instanceof jiko.JikoValidationError) return e.errors[0].path;
  if (e instanceof jiko.JikoApiError) return `${e.code} ${e.status}`;
  if (e instanceof jiko.JikoError) return e.code;
  return "";
}

export = { request, next, code };
