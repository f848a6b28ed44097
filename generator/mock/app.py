"""The mock as a plain ASGI application: HTTP in (body read with a cap), `MockService` answers.

HTTP/1.1 itself (framing, chunked bodies, keep-alive, header limits) is the server's job (uvicorn,
see `server`); in tests the same app runs in-process under `httpx.ASGITransport`. Besides the
spec's paths, two control paths exist: `POST /_mock/reset` forgets requests, faults and stored
resources; `GET /_mock/state` shows the stored resources.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from generator.mock.exchange import Incoming, MockState, Reply, log_line
from generator.mock.service import MockService

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]

logger = logging.getLogger("invitegen.mock")
# Bodies up to this size are read (past the service's limit, only to be discarded) so the client
# gets its 413 instead of a reset; a longer body is left unread and the connection closed.
MAX_DRAIN_BYTES = 64 * 1024 * 1024
CONTROL_PREFIX = "/_mock/"


class MockApp:
    """ASGI application serving one `MockService` with one `MockState`."""

    def __init__(self, service: MockService, state: MockState | None = None) -> None:
        self.service = service
        self.state = state or service.new_state()
        self._stop: asyncio.Event | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await _lifespan(receive, send)
            return
        if scope["type"] != "http":
            return  # websockets: refused by the server when the app does not accept
        self._bind_loop()
        started = time.perf_counter()
        body, oversize = await _read_body(receive, self.service.max_body_bytes)
        incoming = _incoming(scope, body, oversize)
        if incoming.raw_path.startswith(CONTROL_PREFIX):
            await _send(send, incoming.method, self._control(incoming))
            return
        reply, entry = self.service.handle(incoming, self.state)
        if reply.delay:
            await self._wait(reply.delay)
        client = (scope.get("client") or ("-",))[0]
        logger.info(log_line(str(client), entry, reply.note, time.perf_counter() - started))
        if reply.drop:
            # ASGI cannot close a connection unanswered: start the answer, end it before the body.
            await send(
                {
                    "type": "http.response.start",
                    "status": 200,
                    "headers": [(b"content-length", b"1")],
                }
            )
            return
        await _send(send, incoming.method, reply)

    def request_stop(self) -> None:
        """End every pending delay now (called from any thread, when the server stops)."""
        self.state.stopping.set()
        loop, event = self._loop, self._stop
        if loop is not None and event is not None and not loop.is_closed():
            loop.call_soon_threadsafe(event.set)

    def _bind_loop(self) -> None:
        if self._stop is None:
            self._loop = asyncio.get_running_loop()
            self._stop = asyncio.Event()
            if self.state.stopping.is_set():
                self._stop.set()

    async def _wait(self, seconds: float) -> None:
        assert self._stop is not None
        try:
            await asyncio.wait_for(self._stop.wait(), timeout=seconds)
        except TimeoutError:
            pass

    def _control(self, incoming: Incoming) -> Reply:
        path = incoming.raw_path.split("?", 1)[0]
        if path == "/_mock/reset" and incoming.method == "POST":
            self.state.reset()
            return Reply(204)
        if path == "/_mock/state" and incoming.method == "GET":
            snapshot = getattr(self.state.layer, "snapshot", None)
            return Reply(200, {"items": snapshot() if callable(snapshot) else {}})
        return Reply(404, {"error": {"code": "itemNotFound", "message": "Unknown control path."}})


async def _lifespan(receive: Receive, send: Send) -> None:
    while True:
        message = await receive()
        if message["type"] == "lifespan.startup":
            await send({"type": "lifespan.startup.complete"})
        elif message["type"] == "lifespan.shutdown":
            await send({"type": "lifespan.shutdown.complete"})
            return


async def _read_body(receive: Receive, limit: int) -> tuple[bytes, bool]:
    """(body, oversize): the body when within `limit`, else empty and True (drained up to
    `MAX_DRAIN_BYTES`)."""
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] != "http.request":
            break
        chunk = message.get("body", b"")
        size += len(chunk)
        if size <= limit:
            chunks.append(chunk)
        else:
            chunks.clear()
        if not message.get("more_body") or size > MAX_DRAIN_BYTES:
            break
    return (b"", True) if size > limit else (b"".join(chunks), False)


def _incoming(scope: Scope, body: bytes, oversize: bool) -> Incoming:
    """The request as the service reads it: raw (still encoded) path and lower-case headers."""
    raw = scope.get("raw_path") or scope["path"].encode("utf-8")
    path = raw.decode("latin-1")
    query = scope.get("query_string", b"").decode("latin-1")
    headers: dict[str, str] = {}
    for name, value in scope.get("headers", []):
        key = name.decode("latin-1").lower()
        text = value.decode("latin-1")
        headers[key] = f"{headers[key]}, {text}" if key in headers else text
    target = f"{path}?{query}" if query else path
    return Incoming(scope["method"], target, headers, body, oversize)


async def _send(send: Send, method: str, reply: Reply) -> None:
    if reply.body is None:
        payload = b""
    elif isinstance(reply.body, str) and "json" not in reply.content_type:
        payload = reply.body.encode("utf-8")
    else:
        payload = json.dumps(reply.body).encode("utf-8")
    headers = [
        (name.encode("latin-1"), str(value).encode("latin-1"))
        for name, value in reply.headers.items()
    ]
    if reply.body is not None:
        headers.append((b"content-type", reply.content_type.encode("latin-1")))
    headers.append((b"content-length", str(len(payload)).encode("ascii")))
    await send({"type": "http.response.start", "status": reply.status, "headers": headers})
    await send({"type": "http.response.body", "body": b"" if method == "HEAD" else payload})
