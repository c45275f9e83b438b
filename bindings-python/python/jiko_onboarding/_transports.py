"""Transports: how a driver sends a `PreparedRequest`.

A transport is any callable `(request, timeout) -> (status, headers, body)` (a
coroutine function for `AsyncOnboarding`): it sends the request exactly as prepared
(method, url, headers in order, body bytes), never follows a redirect (a redirect
changes the signed path), gives up after `timeout` seconds, and returns the answer
whatever its status. When no answer came it raises `TransportError` with the `kind`
the flow engine needs to decide about a retry:

- `not_sent`: the request certainly did not reach the server (DNS, refused connection,
  TLS handshake, or a failure while writing it: a server acts on a whole request only);
- `timed_out`: it was sent, and no answer came in time (the server may have acted);
- `reset`: the connection broke after it was sent (the server may have acted).

These are the ones this package ships; `requests`, `aiohttp` or any other client plugs
in the same way (see docs/python.md).
"""

from __future__ import annotations

import asyncio
import http.client
import socket
import time
import urllib.error
import urllib.request
from typing import TYPE_CHECKING, Any, Awaitable, Callable, Iterable, Mapping, Optional, Tuple, Union

from jiko_onboarding import PreparedRequest, TransportError

if TYPE_CHECKING:
    import httpx

# What a transport returns: the status, the headers (a mapping or (name, value) pairs)
# and the body bytes.
Headers = Union[Mapping[str, str], Iterable[Tuple[str, str]]]
Answer = Tuple[int, Headers, bytes]
Transport = Callable[[PreparedRequest, float], Answer]
AsyncTransport = Callable[[PreparedRequest, float], Awaitable[Answer]]

# Onboarding answers are a few kilobytes; a larger one is not read.
MAX_ANSWER_BYTES = 16 << 20


class _RefuseRedirects(urllib.request.HTTPRedirectHandler):
    """A 3xx is returned as the answer (urllib raises it as HTTPError): following it
    would send the request to a path it was not signed for."""

    def redirect_request(
        self, req: Any, fp: Any, code: Any, msg: Any, headers: Any, newurl: Any
    ) -> None:
        return None


def _too_large() -> TransportError:
    return TransportError(
        f"the answer is larger than {MAX_ANSWER_BYTES} bytes", kind="reset"
    )


class UrllibTransport:
    """The default transport of `Onboarding`: `urllib.request` from the standard
    library, no redirects, `timeout` for connecting and for each read."""

    def __init__(self) -> None:
        self._opener = urllib.request.build_opener(_RefuseRedirects)

    def __call__(self, request: PreparedRequest, timeout: float) -> Answer:
        data = request.body if request.method != "GET" else None
        http_request = urllib.request.Request(
            request.url, data=data, headers=dict(request.headers), method=request.method
        )
        try:
            response: Any = self._opener.open(http_request, timeout=timeout)
        except urllib.error.HTTPError as answer:  # 3xx, 4xx and 5xx are answers
            response = answer
        except (urllib.error.URLError, ValueError, http.client.InvalidURL) as error:
            # Raised while connecting or writing the request: it was not all sent.
            raise TransportError("the request could not be sent", kind="not_sent") from error
        except socket.timeout as error:
            raise TransportError("no answer in time", kind="timed_out") from error
        except (OSError, http.client.HTTPException) as error:
            raise TransportError("the connection broke", kind="reset") from error
        # `timeout` bounds each socket operation; the deadline bounds the whole body, so
        # that a server sending a byte at a time cannot hold the flow.
        deadline = time.monotonic() + timeout
        with response:
            body = bytearray()
            read = getattr(response, "read1", response.read)
            try:
                while True:
                    chunk = read(65536)
                    if not chunk:
                        break
                    body += chunk
                    if len(body) > MAX_ANSWER_BYTES:
                        raise _too_large()
                    if time.monotonic() > deadline:
                        raise TransportError("no answer in time", kind="timed_out")
            except socket.timeout as error:
                raise TransportError("no answer in time", kind="timed_out") from error
            except (OSError, http.client.HTTPException) as error:
                raise TransportError("the connection broke", kind="reset") from error
            return int(response.getcode()), response.headers.items(), bytes(body)


def _httpx_failure(error: Exception, httpx: Any) -> TransportError:
    """The kind of an httpx failure: before the request was all written, or after."""
    if isinstance(error, httpx.ReadTimeout):
        return TransportError("no answer in time", kind="timed_out")
    if isinstance(
        error,
        (
            httpx.ConnectError,
            httpx.ConnectTimeout,
            httpx.PoolTimeout,
            httpx.WriteError,
            httpx.WriteTimeout,
            httpx.UnsupportedProtocol,
            httpx.LocalProtocolError,
            httpx.ProxyError,
        ),
    ):
        return TransportError("the request could not be sent", kind="not_sent")
    return TransportError("the connection broke", kind="reset")


class HttpxTransport:
    """A blocking transport over an `httpx.Client` (yours, or one it makes and closes
    with `close()`); `pip install jiko-onboarding[httpx]`."""

    def __init__(self, client: Optional[httpx.Client] = None) -> None:
        import httpx

        self._owned = client is None
        self._client = httpx.Client() if client is None else client

    def __call__(self, request: PreparedRequest, timeout: float) -> Answer:
        import httpx

        http_request = self._client.build_request(
            request.method, request.url, headers=request.headers, content=request.body,
            timeout=timeout,
        )
        try:
            response = self._client.send(http_request, stream=True, follow_redirects=False)
            try:
                body = bytearray()
                for chunk in response.iter_bytes():
                    body += chunk
                    if len(body) > MAX_ANSWER_BYTES:
                        raise _too_large()
            finally:
                response.close()
        except httpx.TransportError as error:
            raise _httpx_failure(error, httpx) from error
        return response.status_code, response.headers.multi_items(), bytes(body)

    def close(self) -> None:
        if self._owned:
            self._client.close()


class HttpxAsyncTransport:
    """The default transport of `AsyncOnboarding` when httpx is installed: an
    `httpx.AsyncClient` (yours, or one it makes and closes with `aclose()`; the one it
    makes belongs to an event loop, so another loop, such as a second `asyncio.run`,
    gets a client of its own)."""

    def __init__(self, client: Optional[httpx.AsyncClient] = None) -> None:
        import httpx

        self._owned = client is None
        self._client = httpx.AsyncClient() if client is None else client
        self._loop: Optional[asyncio.AbstractEventLoop] = None

    async def __call__(self, request: PreparedRequest, timeout: float) -> Answer:
        import httpx

        if self._owned:
            loop = asyncio.get_running_loop()
            if self._loop is not loop:
                if self._loop is not None:
                    self._client = httpx.AsyncClient()
                self._loop = loop
        http_request = self._client.build_request(
            request.method, request.url, headers=request.headers, content=request.body,
            timeout=timeout,
        )
        try:
            response = await self._client.send(http_request, stream=True, follow_redirects=False)
            try:
                body = bytearray()
                async for chunk in response.aiter_bytes():
                    body += chunk
                    if len(body) > MAX_ANSWER_BYTES:
                        raise _too_large()
            finally:
                await response.aclose()
        except httpx.TransportError as error:
            raise _httpx_failure(error, httpx) from error
        return response.status_code, response.headers.multi_items(), bytes(body)

    async def aclose(self) -> None:
        if self._owned:
            await self._client.aclose()


class ThreadedTransport:
    """An async transport that runs a blocking one (`UrllibTransport` by default) in a
    worker thread: `AsyncOnboarding`'s default when httpx is not installed. A
    cancelled call leaves its thread to finish the request; the flow counts it as
    `reset`."""

    def __init__(self, transport: Optional[Transport] = None) -> None:
        self._transport: Transport = UrllibTransport() if transport is None else transport

    async def __call__(self, request: PreparedRequest, timeout: float) -> Answer:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(None, self._transport, request, timeout)


def default_async_transport() -> AsyncTransport:
    """httpx's AsyncClient when httpx is installed, urllib in a worker thread otherwise."""
    try:
        import httpx  # noqa: F401  (only whether it is installed)
    except ImportError:
        return ThreadedTransport()
    return HttpxAsyncTransport()
