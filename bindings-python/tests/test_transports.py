"""The shipped transports against a local HTTP server: the answer as it came (3xx not
followed, 4xx and 5xx returned), the request as prepared, and each failure as the kind
the flow engine needs (not_sent, timed_out, reset)."""

from __future__ import annotations

import asyncio
import http.server
import socket
import threading
import time
from typing import Any, Callable, Iterator

import httpx
import pytest

import jiko_onboarding as jiko

SEEN: list[tuple[str, str, dict[str, str], bytes]] = []


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args: Any) -> None:
        pass

    def handle_any(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        SEEN.append((self.command, self.path, dict(self.headers.items()), body))
        if self.path.startswith("/redirect"):
            self.send_response(302)
            self.send_header("Location", "/api/v1/elsewhere/")
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif self.path.startswith("/slow"):
            time.sleep(1.0)
            self.answer(200, b"{}")
        elif self.path.startswith("/trickle"):
            # A byte every 0.1 s: no read ever waits long, the whole takes 4 s.
            self.send_response(200)
            self.send_header("Content-Length", "40")
            self.end_headers()
            try:
                for _ in range(40):
                    self.wfile.write(b" ")
                    self.wfile.flush()
                    time.sleep(0.1)
            except OSError:
                pass
        elif self.path.startswith("/drop"):
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
            self.connection.close()
            self.close_connection = True
        elif self.path.startswith("/fail"):
            self.answer(503, b'{"detail": "down"}', [("Retry-After", "7")])
        else:
            self.answer(201, b'{"ok": true}')

    def answer(self, status: int, body: bytes, headers: list[tuple[str, str]] = []) -> None:
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = handle_any


class QuietServer(http.server.ThreadingHTTPServer):
    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # the clients the tests give up on (timeouts, dropped connections)


@pytest.fixture(scope="module")
def base_url() -> Iterator[str]:
    server = QuietServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Moved:
    """A prepared request's method, headers and body, sent to another path."""

    def __init__(self, prepared: jiko.PreparedRequest, url: str) -> None:
        self.method, self.url = prepared.method, url
        self.headers, self.body = prepared.headers, prepared.body


def request(base_url: str, path: str) -> Any:
    client = jiko.Client(base_url=base_url, signing_secret="transport-secret")
    prepared = client.upload_document(
        "tok", "0b7b1c9e-3c1a-4f0e-9a57-2f4f1d6d2a10", "SELFIE", "image/png",
        b"\x89PNG\r\n\x1a\n" + b"x" * 10,
    )
    return prepared if path == "/" else Moved(prepared, base_url + path)


def sync_transports() -> list[Callable[[], jiko.Transport]]:
    return [jiko.UrllibTransport, lambda: jiko.HttpxTransport(httpx.Client())]


def async_transports() -> list[Callable[[], jiko.AsyncTransport]]:
    return [jiko.HttpxAsyncTransport, jiko.ThreadedTransport]


ALL = [("sync", t) for t in sync_transports()] + [("async", t) for t in async_transports()]
IDS = ["urllib", "httpx", "httpx-async", "urllib-thread"]


def send(kind: str, make: Any, prepared: Any, timeout: float = 5) -> jiko.Answer:
    transport = make()
    if kind == "sync":
        return transport(prepared, timeout)  # type: ignore[no-any-return]

    async def go() -> jiko.Answer:
        try:
            return await transport(prepared, timeout)  # type: ignore[no-any-return]
        finally:
            aclose = getattr(transport, "aclose", None)
            if aclose:
                await aclose()

    return asyncio.run(go())


@pytest.mark.parametrize("kind,make", ALL, ids=IDS)
def test_the_request_goes_as_prepared_and_the_answer_comes_back(
    base_url: str, kind: str, make: Any
) -> None:
    prepared = request(base_url, "/")
    SEEN.clear()
    status, headers, body = send(kind, make, prepared)
    assert (status, body) == (201, b'{"ok": true}')
    assert dict((k.lower(), v) for k, v in headers)["content-type"] == "application/json"
    method, path, sent, sent_body = SEEN[0]
    assert (method, path, sent_body) == ("POST", prepared.path, prepared.body)
    sent = {k.lower(): v for k, v in sent.items()}
    for name, value in prepared.headers:
        assert sent[name.lower()] == value, name


@pytest.mark.parametrize("kind,make", ALL, ids=IDS)
def test_redirects_and_errors_are_answers(base_url: str, kind: str, make: Any) -> None:
    SEEN.clear()
    status, headers, _ = send(kind, make, request(base_url, "/redirect/"))
    assert status == 302 and [p for _, p, _, _ in SEEN] == ["/redirect/"]  # not followed
    status, headers, body = send(kind, make, request(base_url, "/fail/"))
    assert status == 503 and body == b'{"detail": "down"}'
    assert dict((k.lower(), v) for k, v in headers)["retry-after"] == "7"


@pytest.mark.parametrize("kind,make", ALL, ids=IDS)
def test_failures_have_the_engines_kinds(base_url: str, kind: str, make: Any) -> None:
    refused = request(f"http://127.0.0.1:{free_port()}", "/")
    with pytest.raises(jiko.TransportError) as info:
        send(kind, make, refused)
    assert info.value.kind == "not_sent" and info.value.code == "transport_not_sent"
    with pytest.raises(jiko.TransportError) as info:
        send(kind, make, request(base_url, "/slow/"), timeout=0.2)
    assert info.value.kind == "timed_out"
    with pytest.raises(jiko.TransportError) as info:
        send(kind, make, request(base_url, "/drop/"))
    assert info.value.kind == "reset"


def test_urllib_bounds_the_whole_answer_not_each_read(base_url: str) -> None:
    started = time.monotonic()
    with pytest.raises(jiko.TransportError) as info:
        jiko.UrllibTransport()(request(base_url, "/trickle/"), 0.5)
    assert info.value.kind == "timed_out"
    assert time.monotonic() - started < 2.5


def test_transport_error_kinds_are_checked() -> None:
    with pytest.raises(ValueError):
        jiko.TransportError("x", kind="lost")  # type: ignore[arg-type]
    error = jiko.TransportError("no answer", kind="timed_out")
    assert isinstance(error, jiko.JikoError) and error.code == "transport_timed_out"
