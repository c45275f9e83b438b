// Onboards one applicant end to end against the local simulator (jiko-sandbox --port 8080):
// login, agreements, create, apply, documents, approval with the account's deposit numbers.
import { readFileSync } from "node:fs";
import { Onboarding, maskNumber } from "jiko-onboarding";

const onboarding = new Onboarding({ base_url: process.env.JIKO_BASE_URL ?? "http://127.0.0.1:8080" }, {
  username: "sandbox-user", password: "sandbox-password", signingSecret: "sandbox-signing-secret",
});
const flow = onboarding.start(JSON.parse(readFileSync(new URL("applicant.json", import.meta.url), "utf8")));
let result = await flow.run();
while (result.state === "documents_needed") {
  const scan = readFileSync(new URL("document.png", import.meta.url));
  for (const { one_of } of result.requirements) flow.provideDocument(one_of[0], "image/png", scan);
  result = await flow.run();
}
console.log(result.state, flow.applicationId);
for (const portal of result.customer?.accounts.flatMap((a) => a.portals) ?? [])
  console.log(`routing ${maskNumber(portal.routing_number)}, account ${maskNumber(portal.account_number)}`);
