// CommonJS users of the browser entry (server-side rendering): types from browser/index.d.cts.
import jiko = require("jiko-onboarding/browser");

const application: jiko.Application = jiko.parseApplication(200, '{"id":"x","status":"CREATED"}');
const next: jiko.NextAction = jiko.nextAction(application);
const errors: jiko.FieldError[] = jiko.validateApplication({});

export = { next, errors };
