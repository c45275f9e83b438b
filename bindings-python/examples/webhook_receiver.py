"""A webhook receiver for onboarding flows, on the standard library's http.server.

Jiko POSTs each event to a subscription's URL, signed with the subscription's shared
secret (not the API signing secret). The handler reads the raw body and verifies it
before reading anything (`verify_webhook`), finds the flow by the event's application
id, tells it (`notify`) and runs it in the background, and answers 204 at once (Jiko
retries a delivery that fails or hangs). An event is only a hint: the flow reads the
application itself, so a forged or replayed delivery costs one read at most.

    JIKO_BASE_URL=http://127.0.0.1:8080 JIKO_USERNAME=sandbox-user \\
    JIKO_PASSWORD=sandbox-password JIKO_SIGNING_SECRET=sandbox-signing-secret \\
        python webhook_receiver.py applicant.json

starts the receiver, subscribes it to the application events, and onboards the
applicant, woken by the webhooks instead of polling often. A service keeps its flows'
snapshots in its database and resumes them here (`Onboarding.resume`) instead of
holding them in memory.
"""

from __future__ import annotations

import json
import os
import pathlib
import sys
import threading
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Callable, Optional

import jiko_onboarding as jiko


class FlowRegistry:
    """The flows this process drives, by application id, and how each ended."""

    def __init__(self) -> None:
        self._flows: dict[str, jiko.Flow] = {}
        self._lock = threading.Lock()
        self.results: dict[str, jiko.FlowResult] = {}
        self.on_result: Optional[Callable[[str, jiko.FlowResult], None]] = None

    def add(self, flow: jiko.Flow) -> None:
        """A flow whose application exists (after its first `run`)."""
        assert flow.application_id is not None
        with self._lock:
            self._flows[flow.application_id] = flow

    def wake(self, application_id: str) -> bool:
        """Tells the flow something happened; runs it unless it is running already
        (then its sleep is cut short). False for an application this process does not
        drive."""
        with self._lock:
            flow = self._flows.get(application_id)
        if flow is None:
            return False
        flow.notify()
        if not flow.running:
            threading.Thread(target=self._run, args=(application_id, flow), daemon=True).start()
        return True

    def _run(self, application_id: str, flow: jiko.Flow) -> None:
        try:
            result = flow.run(max_wait=0)
        except RuntimeError:
            return  # started meanwhile: that run reads at once
        self.results[application_id] = result
        if self.on_result is not None:
            self.on_result(application_id, result)


def make_handler(secrets: list[str], registry: FlowRegistry) -> type[BaseHTTPRequestHandler]:
    """The request handler: verify, find, notify, run."""
    seen: set[str] = set()

    class WebhookHandler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            raw_body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            try:
                event = jiko.verify_webhook(self.headers, raw_body, secrets)
            except jiko.WebhookError as error:
                self.send_response(400 if error.code == "malformed" else 401)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            if event.event_id not in seen and event.application_id is not None:
                seen.add(event.event_id)  # deliveries come at least once
                registry.wake(event.application_id)
            self.send_response(204)
            self.end_headers()

        def log_message(self, format: str, *args: object) -> None:
            pass  # no request lines in the logs: the flows log their own steps

    return WebhookHandler


def serve(secrets: list[str], registry: FlowRegistry, port: int = 0) -> ThreadingHTTPServer:
    """The receiver on 127.0.0.1, serving in a background thread."""
    server = ThreadingHTTPServer(("127.0.0.1", port), make_handler(secrets, registry))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def subscribe(onboarding: jiko.Onboarding, url: str, shared_secret: str) -> jiko.Subscription:
    """Creates the subscription, with prepared requests sent by urllib (once per
    receiver, not per flow)."""
    client, env = onboarding.client, os.environ

    def send(request: jiko.PreparedRequest) -> tuple[int, bytes]:
        data = request.body if request.method == "POST" else None
        http = urllib.request.Request(request.url, data, dict(request.headers), method=request.method)
        with urllib.request.urlopen(http, timeout=30) as answer:
            return answer.status, answer.read()

    session = jiko.parse_login(*send(client.login(env["JIKO_USERNAME"], env["JIKO_PASSWORD"])))
    events = list(jiko.EVENT_TYPES[:4])  # the four application events
    return jiko.parse_subscription(
        *send(client.create_subscription(session, url, events, shared_secret))
    )


def main() -> int:
    env = os.environ
    onboarding = jiko.Onboarding(
        base_url=env["JIKO_BASE_URL"], username=env["JIKO_USERNAME"],
        password=env["JIKO_PASSWORD"], signing_secret=env["JIKO_SIGNING_SECRET"],
        flow_config={"webhooks": True},
    )
    shared_secret = env.get("JIKO_WEBHOOK_SECRET", "a-webhook-secret-of-32-characters")
    registry, finished = FlowRegistry(), threading.Event()
    registry.on_result = lambda _, result: finished.set() if result.state != "waiting" else None
    server = serve([shared_secret], registry)
    subscribe(onboarding, f"http://127.0.0.1:{server.server_address[1]}/jiko", shared_secret)
    flow = onboarding.start(json.loads(pathlib.Path(sys.argv[1]).read_text()))
    result = flow.run(max_wait=0)
    registry.add(flow)
    print(f"{result.state}; waiting for webhooks")
    finished.wait(120)
    print(registry.results[flow.application_id or ""].state if finished.is_set() else "no webhook")
    server.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())
