"""Onboard one applicant end to end: python quickstart.py applicant.json (docs/python.md)."""
import json, os, pathlib, sys

import jiko_onboarding as jiko

env = os.environ
onboarding = jiko.Onboarding(base_url=env["JIKO_BASE_URL"], username=env["JIKO_USERNAME"],
                             password=env["JIKO_PASSWORD"], signing_secret=env["JIKO_SIGNING_SECRET"])
flow = onboarding.start(json.loads(pathlib.Path(sys.argv[1]).read_text()))
result = flow.run()
while result.state == "documents_needed":  # one document per requirement: the user's scans
    for requirement in result.requirements:
        flow.provide_document(requirement.one_of[0], "image/png", b"\x89PNG\r\n\x1a\n" + bytes(64))
    result = flow.run()
print(result.state)
for account in result.customer.accounts if result.customer else []:
    for portal in account.portals:
        print(f"routing {jiko.mask_number(portal.routing_number)} account {jiko.mask_number(portal.account_number)}")
