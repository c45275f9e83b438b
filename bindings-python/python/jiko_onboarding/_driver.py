"""The drivers: `Onboarding` (blocking) and `AsyncOnboarding` (asyncio).

Each is a short loop over the core's flow engine (`OnboardingFlow`): on `Transmit` it
sends the request with the transport and hands back the answer, or how sending failed;
on `Wait` it sleeps until then (woken early by `notify`), or returns if that is more
than `max_wait` away; on `NeedDocuments` and `Done` it returns. Every decision (what to
send, retries, keys, the poll schedule, logins) is the engine's.

One `Authenticator` per onboarding is shared by its flows. The engine's calls hold the
GIL from start to end, so flows running in several threads (or tasks) take turns on it
for the length of one call, and never across a network send.

Steps are logged under the `jiko_onboarding` logger at DEBUG, without personal data:
the operation, method and path template of each request, each answer's status, each
wait's reason and length, the documents asked for, how the flow ended. Each record also
carries them as a dict in its `jiko` attribute, for structured logging.
"""

from __future__ import annotations

import asyncio
import itertools
import logging
import threading
import time
from typing import TYPE_CHECKING, Any, Mapping, Optional, Union

from jiko_onboarding import (
    Authenticator,
    Client,
    Done,
    FlowConfig,
    FlowResult,
    NeedDocuments,
    OnboardingFlow,
    Transmit,
    TransportError,
    Wait,
    _native,
)
from jiko_onboarding._transports import (
    Answer,
    AsyncTransport,
    Transport,
    UrllibTransport,
    default_async_transport,
)

if TYPE_CHECKING:
    from jiko_onboarding import DocumentType, TransportErrorKind

logger = logging.getLogger("jiko_onboarding")
# How long past its timeout an async request may run before it is abandoned as timed out.
_DEADLINE_GRACE_S = 5.0

Step = Union[Transmit, Wait, NeedDocuments, Done]


class Clock:
    """Time for the drivers: the system clock. Tests pass a virtual clock (a subclass)
    whose `sleep` moves its time on at once."""

    def time(self) -> float:
        """Seconds since the Unix epoch."""
        return time.time()

    def sleep(self, seconds: float, wake: threading.Event) -> None:
        """Sleeps `seconds`, or until `wake` is set."""
        wake.wait(seconds)

    async def sleep_async(self, seconds: float, wake: asyncio.Event) -> None:
        """Sleeps `seconds`, or until `wake` is set."""
        try:
            await asyncio.wait_for(wake.wait(), seconds)
        except asyncio.TimeoutError:
            pass


def _log(event: str, message: str, *args: Any, **fields: Any) -> None:
    if logger.isEnabledFor(logging.DEBUG):
        logger.debug(message, *args, extra={"jiko": dict(fields, event=event)})


class _Partner:
    """What an onboarding holds for its flows: the client, the shared login, the flow
    settings, the clock."""

    def __init__(
        self,
        *,
        username: str,
        password: Union[str, bytes],
        signing_secret: Union[str, bytes],
        environment: Optional[str],
        partner: Optional[str],
        base_url: Optional[str],
        flow_config: Union[FlowConfig, Mapping[str, Any], None],
        clock: Optional[Clock],
    ) -> None:
        self.client = Client(
            signing_secret=signing_secret,
            environment=environment,  # type: ignore[arg-type]
            partner=partner,
            base_url=base_url,
        )
        self.auth = Authenticator(username, password)
        self.config: FlowConfig = _native._flow_config(flow_config)
        self.clock = Clock() if clock is None else clock
        self._numbers = itertools.count()

    def now_ms(self) -> int:
        return int(self.clock.time() * 1000)

    def flow_config(self) -> FlowConfig:
        """The settings of the next flow: a seed is made different for each flow (the
        same seed would draw the same idempotency keys in every flow)."""
        if self.config.seed is None:
            return self.config
        settings = self.config.to_dict()
        settings["seed"] = (settings["seed"] + next(self._numbers)) % (1 << 64)
        return _native._flow_config(settings)

    def start(self, application: Any, today: Any) -> OnboardingFlow:
        return OnboardingFlow.start(
            self.client, application, self.now_ms(), today=today, config=self.flow_config()
        )

    def resume(self, snapshot: str, application: Any) -> OnboardingFlow:
        return OnboardingFlow.restore(
            self.client, snapshot, application, config=self.flow_config()
        )


class _FlowBase:
    """The step handling both drivers share."""

    def __init__(self, partner: _Partner, engine: OnboardingFlow) -> None:
        self._partner = partner
        self._engine = engine
        self._running = False

    @property
    def application_id(self) -> Optional[str]:
        """The application's id, once created."""
        return self._engine.application_id

    @property
    def running(self) -> bool:
        """Whether `run` is in progress."""
        return self._running

    def provide_document(
        self, document_type: DocumentType, content_type: str, data: bytes
    ) -> None:
        """A document for Jiko's request, checked now (`DocumentError`), uploaded by the
        next `run`. Held in memory only: after a resume, provide it again."""
        self._engine.provide_document(document_type, content_type, data)

    def snapshot(self) -> str:
        """Everything needed to continue (`resume`), as JSON text: no personal data, no
        secret. Store it with your own record of the applicant."""
        return self._engine.snapshot()

    def _begin(self) -> None:
        if self._running:
            raise RuntimeError("this flow is already running")
        self._running = True

    def _poll(self) -> Step:
        return self._engine.poll(self._partner.now_ms(), self._partner.auth)

    def _sent(self, transmit: Transmit) -> float:
        _log(
            "sent", "%s %s %s (attempt %d)", transmit.operation, transmit.request.method,
            transmit.path_template, transmit.attempt, operation=transmit.operation,
            method=transmit.request.method, path=transmit.path_template,
            attempt=transmit.attempt, application_id=self.application_id,
        )
        return time.monotonic()

    def _answered(self, transmit: Transmit, answer: Answer, started: float) -> None:
        try:
            status, headers, body = answer
            status = int(status)
            if not 0 <= status <= 65535:
                raise ValueError(f"the transport answered status {status}, not an HTTP status")
            # Checked here, so that a malformed answer is reported to the flow (as reset)
            # instead of leaving the request outstanding.
            pairs = headers.items() if isinstance(headers, Mapping) else headers
            headers = [(str(name), str(value)) for name, value in pairs]
            if isinstance(body, str):
                body = body.encode("utf-8")
            elif not isinstance(body, bytes):
                body = bytes(body)
        except BaseException:
            self._failed(transmit, "reset")
            raise
        _log(
            "answered", "%s answered %d in %d ms", transmit.operation, status,
            (time.monotonic() - started) * 1000, operation=transmit.operation,
            status=status, attempt=transmit.attempt, application_id=self.application_id,
        )
        self._engine.handle_response(
            transmit.attempt, status, headers, body, self._partner.now_ms(), self._partner.auth
        )

    def _failed(self, transmit: Transmit, kind: TransportErrorKind) -> None:
        _log(
            "transport_failed", "%s got no answer: %s", transmit.operation, kind,
            operation=transmit.operation, kind=kind, attempt=transmit.attempt,
            application_id=self.application_id,
        )
        self._engine.handle_transport_error(
            transmit.attempt, kind, self._partner.now_ms(), self._partner.auth
        )

    def _waits(self, wait: Wait, seconds: float) -> None:
        _log(
            "waiting", "waiting %.3f s: %s%s", seconds, wait.reason,
            f" ({wait.retry_reason})" if wait.retry_reason else "", reason=wait.reason,
            retry_reason=wait.retry_reason, seconds=seconds,
            application_id=self.application_id,
        )

    def _finish(self, step: Step) -> FlowResult:
        result = self._engine.result(step)
        if isinstance(step, NeedDocuments):
            needed = [list(r.one_of) for r in step.requirements]
            _log("documents_needed", "documents needed: %s", needed, requirements=needed,
                 application_id=self.application_id)
        error = result.error
        _log(
            "returned", "returning %s%s", result.state,
            f" ({error.code})" if error is not None else "", state=result.state,
            error=None if error is None else error.code,
            next_check_at=result.next_check_at, application_id=self.application_id,
        )
        return result


class Flow(_FlowBase):
    """One applicant's journey, driven by a blocking `run`. Made by
    `Onboarding.start` and `Onboarding.resume`."""

    def __init__(self, partner: _Partner, engine: OnboardingFlow, transport: Transport) -> None:
        super().__init__(partner, engine)
        self._transport = transport
        self._wake = threading.Event()

    def notify(self) -> None:
        """Something happened (a webhook): the application is read at once, by the `run`
        in progress (woken from its sleep) or by the next one. Safe from any thread."""
        self._wake.set()

    def run(self, max_wait: float = 60) -> FlowResult:
        """Sends, retries, polls and sleeps until the journey ends, documents are
        needed, or the next step is more than `max_wait` seconds away; returns where
        the flow stands. Interrupted (KeyboardInterrupt, an exception from the
        transport), it leaves the flow valid: the request in flight is counted as
        `reset`."""
        self._begin()
        try:
            while True:
                if self._wake.is_set():
                    self._wake.clear()
                    self._engine.notify(self._partner.now_ms())
                step = self._poll()
                if isinstance(step, Transmit):
                    self._send(step)
                elif isinstance(step, Wait):
                    seconds = max(0.0, (step.until_ms - self._partner.now_ms()) / 1000)
                    if seconds > max_wait:
                        return self._finish(step)
                    self._waits(step, seconds)
                    self._partner.clock.sleep(seconds, self._wake)
                else:
                    return self._finish(step)
        finally:
            self._running = False

    def _send(self, transmit: Transmit) -> None:
        started = self._sent(transmit)
        try:
            answer = self._transport(transmit.request, transmit.timeout_ms / 1000)
        except TransportError as error:
            self._failed(transmit, error.kind)
            return
        except BaseException:
            # Not an answer, and perhaps sent: the flow counts it as reset (so resuming
            # it is safe), and the exception goes on.
            self._failed(transmit, "reset")
            raise
        self._answered(transmit, answer, started)


class AsyncFlow(_FlowBase):
    """One applicant's journey, driven by `await run()`. Made by
    `AsyncOnboarding.start` and `AsyncOnboarding.resume`."""

    def __init__(
        self, partner: _Partner, engine: OnboardingFlow, transport: AsyncTransport
    ) -> None:
        super().__init__(partner, engine)
        self._transport = transport
        self._notified = False
        self._loop: Optional[asyncio.AbstractEventLoop] = None
        self._wake: Optional[asyncio.Event] = None

    def notify(self) -> None:
        """Something happened (a webhook): the application is read at once, by the `run`
        in progress (woken from its sleep) or by the next one. Safe from any thread."""
        self._notified = True
        loop, wake = self._loop, self._wake
        if loop is None or wake is None:
            return
        try:
            current: Optional[asyncio.AbstractEventLoop] = asyncio.get_running_loop()
        except RuntimeError:
            current = None
        if current is loop:
            wake.set()
        else:
            loop.call_soon_threadsafe(wake.set)

    async def run(self, max_wait: float = 60) -> FlowResult:
        """Sends, retries, polls and sleeps until the journey ends, documents are
        needed, or the next step is more than `max_wait` seconds away; returns where
        the flow stands. Cancelled, it leaves the flow valid: the request in flight is
        counted as `reset`."""
        self._begin()
        self._loop = asyncio.get_running_loop()
        self._wake = wake = asyncio.Event()
        try:
            while True:
                wake.clear()
                if self._notified:
                    self._notified = False
                    self._engine.notify(self._partner.now_ms())
                step = self._poll()
                if isinstance(step, Transmit):
                    await self._send(step)
                elif isinstance(step, Wait):
                    seconds = max(0.0, (step.until_ms - self._partner.now_ms()) / 1000)
                    if seconds > max_wait:
                        return self._finish(step)
                    self._waits(step, seconds)
                    await self._partner.clock.sleep_async(seconds, wake)
                else:
                    return self._finish(step)
        finally:
            self._running = False
            self._loop = self._wake = None

    async def _send(self, transmit: Transmit) -> None:
        started = self._sent(transmit)
        timeout = transmit.timeout_ms / 1000
        try:
            # A transport's timeout may bound each read only: the whole request ends a
            # few seconds after it at the latest.
            answer = await asyncio.wait_for(
                self._transport(transmit.request, timeout), timeout + _DEADLINE_GRACE_S
            )
        except TransportError as error:
            self._failed(transmit, error.kind)
            return
        except asyncio.TimeoutError:
            self._failed(transmit, "timed_out")
            return
        except BaseException:
            # Cancelled, or not an answer, and perhaps sent: the flow counts it as reset
            # (so resuming it is safe), and the exception goes on.
            self._failed(transmit, "reset")
            raise
        self._answered(transmit, answer, started)


class Onboarding:
    """One per partner: the configuration, the credentials and one shared login, for
    flows driven by a blocking `run`. The default transport is `urllib.request` (no
    redirects, the flow's timeout per request); `transport=` takes any other (an
    `HttpxTransport`, or your own callable).

    Pass `environment="sandbox" | "production"` and `partner="<prefix>"` for Jiko's
    hosts, or `base_url=` (the local simulator). `username`, `password` and
    `signing_secret` are the partner's credentials; `flow_config` a `FlowConfig` or a
    dict of the settings that differ from the defaults (`{"webhooks": True}` when a
    subscription calls `notify`); `clock` is for tests.
    """

    def __init__(
        self,
        *,
        username: str,
        password: Union[str, bytes],
        signing_secret: Union[str, bytes],
        environment: Optional[str] = None,
        partner: Optional[str] = None,
        base_url: Optional[str] = None,
        transport: Optional[Transport] = None,
        flow_config: Union[FlowConfig, Mapping[str, Any], None] = None,
        clock: Optional[Clock] = None,
    ) -> None:
        self._partner = _Partner(
            username=username, password=password, signing_secret=signing_secret,
            environment=environment, partner=partner, base_url=base_url,
            flow_config=flow_config, clock=clock,
        )
        self._transport: Transport = UrllibTransport() if transport is None else transport

    @property
    def client(self) -> Client:
        """The client the flows prepare their requests with."""
        return self._partner.client

    def start(self, application: Any, today: Any = None) -> Flow:
        """A flow for this application (a dict with the API's field names, or JSON
        text), validated at once (`ValidationError`); nothing is sent before `run`.
        `today` defaults to the UTC date."""
        return Flow(self._partner, self._partner.start(application, today), self._transport)

    def resume(self, snapshot: str, application: Any = None) -> Flow:
        """The flow `snapshot` was taken from. The application is needed again only
        while its Create has not been answered (`FlowError` `application_required`)."""
        return Flow(self._partner, self._partner.resume(snapshot, application), self._transport)

    def close(self) -> None:
        """Closes the transport, if it has a `close`."""
        close = getattr(self._transport, "close", None)
        if close is not None:
            close()

    def __enter__(self) -> Onboarding:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Onboarding(base_url={self.client.base_url!r}, credentials=<redacted>)"


class AsyncOnboarding:
    """One per partner, for flows driven by `await run()`. The default transport is an
    `httpx.AsyncClient` when httpx is installed (`pip install
    jiko-onboarding[httpx]`), otherwise `urllib.request` in a worker thread; `transport=`
    takes any coroutine function of the same signature. Close it with `await
    aclose()` or `async with`. The other arguments are `Onboarding`'s.
    """

    def __init__(
        self,
        *,
        username: str,
        password: Union[str, bytes],
        signing_secret: Union[str, bytes],
        environment: Optional[str] = None,
        partner: Optional[str] = None,
        base_url: Optional[str] = None,
        transport: Optional[AsyncTransport] = None,
        flow_config: Union[FlowConfig, Mapping[str, Any], None] = None,
        clock: Optional[Clock] = None,
    ) -> None:
        self._partner = _Partner(
            username=username, password=password, signing_secret=signing_secret,
            environment=environment, partner=partner, base_url=base_url,
            flow_config=flow_config, clock=clock,
        )
        self._transport: AsyncTransport = (
            default_async_transport() if transport is None else transport
        )

    @property
    def client(self) -> Client:
        """The client the flows prepare their requests with."""
        return self._partner.client

    def start(self, application: Any, today: Any = None) -> AsyncFlow:
        """A flow for this application, validated at once (`ValidationError`); nothing
        is sent before `run`. `today` defaults to the UTC date."""
        return AsyncFlow(self._partner, self._partner.start(application, today), self._transport)

    def resume(self, snapshot: str, application: Any = None) -> AsyncFlow:
        """The flow `snapshot` was taken from (see `Onboarding.resume`)."""
        return AsyncFlow(
            self._partner, self._partner.resume(snapshot, application), self._transport
        )

    async def aclose(self) -> None:
        """Closes the transport, if it has an `aclose`."""
        aclose = getattr(self._transport, "aclose", None)
        if aclose is not None:
            await aclose()

    async def __aenter__(self) -> AsyncOnboarding:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    def __repr__(self) -> str:
        return f"AsyncOnboarding(base_url={self.client.base_url!r}, credentials=<redacted>)"

