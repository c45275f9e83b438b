#!/usr/bin/env python3
"""An independent client of jiko-sandbox, in Python's standard library only.

It signs its own requests (HMAC-SHA256 over key + path + body, as Jiko documents),
runs a webhook receiver on 127.0.0.1, subscribes it, and checks every delivery's
`x-jiko-signature` with Python's own `hmac`:

    base64.b64encode(hmac.new(secret, body, sha256).digest()) == header

over a Trigger Webhook, an approval that nobody polls (the simulator decides by itself
after --decide-after-ms and the webhook wakes the flow), and a Fund Account. It also
resends one prepared Create Application and expects the same 201 and body, and one
application in /_simulator/stats.

Usage: webhook_client.py PATH/TO/jiko-sandbox
"""
import base64
import hashlib
import hmac
import http.server
import json
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid

SIGNING_SECRET = b"sandbox-signing-secret"
WEBHOOK_SECRET = "a-webhook-secret-of-our-own"


def fail(message: str) -> None:
    print(f"webhook_client: FAILED: {message}", file=sys.stderr)
    sys.exit(1)


class Receiver(http.server.ThreadingHTTPServer):
    """Records every POST: path, headers and the raw body bytes."""

    def __init__(self) -> None:
        self.deliveries: list[tuple[str, dict[str, str], bytes]] = []
        self.lock = threading.Lock()
        super().__init__(("127.0.0.1", 0), ReceiverHandler)

    def wait_for(self, count: int, timeout: float = 15.0) -> list[tuple[str, dict[str, str], bytes]]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.lock:
                if len(self.deliveries) >= count:
                    return list(self.deliveries)
            time.sleep(0.01)
        fail(f"{len(self.deliveries)} of {count} deliveries arrived")
        return []


class ReceiverHandler(http.server.BaseHTTPRequestHandler):
    def do_POST(self) -> None:  # noqa: N802 (the standard library's name)
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        headers = {k.lower(): v for k, v in self.headers.items()}
        assert isinstance(self.server, Receiver)
        with self.server.lock:
            self.server.deliveries.append((self.path, headers, body))
        self.send_response(202)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


class Api:
    def __init__(self, base_url: str) -> None:
        self.base_url = base_url
        self.token = ""

    def call(self, method: str, path: str, body: bytes = b"", key: str = "", signed: bool = True) -> tuple[int, bytes]:
        headers = {"Content-Type": "application/json"}
        if signed:
            key = key or str(uuid.uuid4())
            message = key.encode() + path.split("?")[0].encode() + body
            signature = base64.b64encode(hmac.new(SIGNING_SECRET, message, hashlib.sha256).digest())
            headers.update({
                "Authorization": f"Bearer {self.token}",
                "x-jiko-idempotency": key,
                "x-jiko-signature": signature.decode(),
            })
        request = urllib.request.Request(self.base_url + path, data=body or None, method=method, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as e:
            return e.code, e.read()

    def json(self, method: str, path: str, value: object = None) -> object:
        body = json.dumps(value, separators=(",", ":")).encode() if value is not None else b""
        status, raw = self.call(method, path, body)
        if status >= 300:
            fail(f"{method} {path}: {status} {raw[:200]!r}")
        return json.loads(raw) if raw else None


def application(ssn: str) -> dict[str, object]:
    return {
        "name": {"first_name": "Ada", "last_name": "Sample"},
        "email": "ada.sample@example.com",
        "phone_number": "+14155550123",
        "date_of_birth": "1985-06-15",
        "identification_number": ssn,
        "investment_profile": {
            "employment_status": "EMPLOYED",
            "income": "BETWEEN_100K_AND_250K",
            "net_worth": "BETWEEN_200K_AND_1M",
            "occupation": "Engineer",
        },
        "agreement_consent": {"version": "1.0.0", "timestamp": "2024-01-01T12:00:00+00:00"},
        "address": {
            "street_address": "1 Testing Lane",
            "city": "Springfield",
            "postal_code": "62704",
            "state": "IL",
            "country": "US",
        },
    }


def verify(delivery: tuple[str, dict[str, str], bytes]) -> dict[str, object]:
    """Checks the signature with Python's hmac; returns the envelope."""
    _, headers, body = delivery
    expected = base64.b64encode(hmac.new(WEBHOOK_SECRET.encode(), body, hashlib.sha256).digest()).decode()
    if not hmac.compare_digest(headers.get("x-jiko-signature", ""), expected):
        fail(f"bad signature {headers.get('x-jiko-signature')!r}, expected {expected!r}")
    other = base64.b64encode(hmac.new(b"another-secret-entirely", body, hashlib.sha256).digest()).decode()
    if other == expected:
        fail("the check cannot tell secrets apart")
    if headers.get("content-type") != "application/json":
        fail(f"content type {headers.get('content-type')!r}")
    envelope = json.loads(body)
    if sorted(envelope) != ["event_id", "event_type", "payload", "timestamp"]:
        fail(f"envelope keys {sorted(envelope)}")
    return envelope


def main() -> None:
    if len(sys.argv) != 2:
        fail("usage: webhook_client.py PATH/TO/jiko-sandbox")
    process = subprocess.Popen(
        [sys.argv[1], "--port", "0", "--decide-after-ms", "200", "--outcome-after-polls", "1000"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    receiver = Receiver()
    threading.Thread(target=receiver.serve_forever, daemon=True).start()
    try:
        assert process.stdout is not None
        first = process.stdout.readline().strip()
        if not first.startswith("listening on "):
            fail(f"first line {first!r}")
        api = Api(first.removeprefix("listening on "))
        status, raw = api.call("POST", "/api/v1/login/", json.dumps(
            {"username": "sandbox-user", "password": "sandbox-password"}).encode(), signed=False)
        if status != 200:
            fail(f"login: {status}")
        api.token = json.loads(raw)["token"]

        url = f"http://127.0.0.1:{receiver.server_address[1]}/hooks/jiko"
        subscription = api.json("POST", "/api/v1/subscriptions/", {
            "url": url,
            "events": ["application.approved", "transfers.ach.in.success"],
            "shared_secret": WEBHOOK_SECRET,
        })
        assert isinstance(subscription, dict)
        if "shared_secret" in subscription or WEBHOOK_SECRET in json.dumps(subscription):
            fail("the subscription answer holds the secret")

        # 1. Trigger Webhook: the envelope as given, signed.
        event_id = str(uuid.uuid4())
        application_id = str(uuid.uuid4())
        api.json("POST", "/api/v1/sandbox/webhook/", {
            "event_id": event_id,
            "timestamp": "2026-01-01T12:00:00+00:00",
            "event_type": "application.approved",
            "payload": {"application_id": application_id},
        })
        triggered = verify(receiver.wait_for(1)[0])
        if triggered["event_id"] != event_id or triggered["payload"] != {"application_id": application_id}:
            fail(f"triggered event {triggered}")
        path, headers, body = receiver.deliveries[0]
        print(f"verified delivery: POST {path} x-jiko-signature: {headers['x-jiko-signature']} body: {body.decode()}")

        # 2. The same prepared Create twice: the same answer, one application.
        created_body = json.dumps(application(f"4{uuid.uuid4().int % 10**8:08d}")).encode()
        key = str(uuid.uuid4())
        first_answer = api.call("POST", "/api/v1/applications/", created_body, key=key)
        second_answer = api.call("POST", "/api/v1/applications/", created_body, key=key)
        if first_answer[0] != 201 or first_answer != second_answer:
            fail(f"replay: {first_answer[0]} then {second_answer[0]}")
        stats = json.loads(urllib.request.urlopen(api.base_url + "/_simulator/stats").read())
        if stats["applications"]["total"] != 1 or stats["replays_served"] != 1:
            fail(f"replay stats {stats['applications']} {stats['replays_served']}")

        # 3. Apply, never poll: the approval comes as a webhook after --decide-after-ms.
        app = json.loads(first_answer[1])
        api.json("POST", f"/api/v1/applications/{app['id']}/apply/")
        approved = verify(receiver.wait_for(2)[1])
        if approved["event_type"] != "application.approved" or approved["payload"] != {"application_id": app["id"]}:
            fail(f"approval event {approved}")
        app = api.json("GET", f"/api/v1/applications/{app['id']}/")
        assert isinstance(app, dict)
        if app["status"] != "APPROVED" or not app.get("customer_id"):
            fail(f"status {app['status']}")

        # 4. The customer's account and portal, then Fund Account: one ACH event per credit.
        accounts = api.json("GET", f"/api/v1/customers/{app['customer_id']}/jiko-accounts/")
        assert isinstance(accounts, dict)
        account_id = accounts["items"][0]["id"]
        portals = api.json("GET", f"/api/v1/jiko-accounts/{account_id}/portals/")
        assert isinstance(portals, dict)
        routing = portals["portals"][0]["routing_number"]
        d = [int(c) for c in routing]
        if len(d) != 9 or (3 * (d[0] + d[3] + d[6]) + 7 * (d[1] + d[4] + d[7]) + d[2] + d[5] + d[8]) % 10:
            fail("routing number fails the ABA check")
        api.json("POST", "/api/v1/sandbox/fund/", {"account_id": account_id, "amount_usdc": 2500, "count": 2})
        for delivery in receiver.wait_for(4)[2:]:
            ach = verify(delivery)
            if ach["event_type"] != "transfers.ach.in.success" or ach["payload"] != {"jiko_account_id": account_id}:
                fail(f"ACH event {ach}")

        # 5. List Events shows each event with its successful attempt (the receiver's 202).
        deadline = time.monotonic() + 10
        while True:
            events = api.json("GET", f"/api/v1/events/?subscription_id={subscription['id']}")
            assert isinstance(events, dict)
            attempts = [a for e in events["items"] for a in e["delivery_attempts"]]
            if len(attempts) == 4 or time.monotonic() > deadline:
                break
            time.sleep(0.02)
        if len(events["items"]) != 4 or [a["response_code"] for a in attempts] != [202] * 4 \
                or not all(a["success"] for a in attempts):
            fail(f"events {json.dumps(events)[:400]}")
        print(f"webhook_client: {len(receiver.deliveries)} deliveries verified with Python's hmac; "
              "replayed Create answered twice the same; approval woke the flow with no poll; "
              "2 ACH credits delivered")
    finally:
        receiver.shutdown()
        process.kill()
        process.wait()


if __name__ == "__main__":
    main()
