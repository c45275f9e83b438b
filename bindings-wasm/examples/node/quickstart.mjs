import { readFile } from "node:fs/promises";
import { Onboarding, maskNumber } from "jiko-onboarding";

const onboarding = new Onboarding({ base_url: process.env.JIKO_BASE_URL },
  { username: "sandbox-user", password: "sandbox-password", signingSecret: "sandbox-signing-secret" });
const flow = onboarding.start(JSON.parse(await readFile("applicant.json", "utf8"))); // validates
let result = await flow.run(); // log in, agreements, create, apply, poll
while (result.state === "documents_needed") {
  for (const kind of result.requirements.map((requirement) => requirement.one_of[0])) {
    flow.provideDocument(kind, "image/png", await readFile(`${kind}.png`));
  }
  result = await flow.run();
}
if (result.state !== "approved") throw new Error(result.state); // rejected, waiting or failed
for (const portal of result.customer.accounts.flatMap((account) => account.portals)) {
  const [routing, account] = [portal.routing_number, portal.account_number].map(maskNumber);
  console.log(`approved: routing ${routing} account ${account}`);
}
