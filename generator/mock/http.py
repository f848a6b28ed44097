"""The mock's HTTP layer: read a request off the socket, hand it to the service, write the reply."""

from __future__ import annotations

import json
import logging
import socket
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler
from typing import TYPE_CHECKING

from generator.mock.exchange import Incoming, Reply

if TYPE_CHECKING:
    from generator.mock.server import MockServer

logger = logging.getLogger("invitegen.mock")
# Bodies up to this size are read (and discarded past the limit) so the connection stays usable
# and the client gets its 413 instead of a reset; anything larger closes the connection.
MAX_DRAIN_BYTES = 64 * 1024 * 1024
CHUNK_BYTES = 64 * 1024
# An idle keep-alive connection is closed after this many seconds.
IDLE_TIMEOUT = 30.0


class MockRequestHandler(BaseHTTPRequestHandler):
    """One connection: every method goes through the service, which answers 405 where due."""

    server: MockServer
    protocol_version = "HTTP/1.1"
    server_version = "invitegen-mock"
    sys_version = ""
    timeout = IDLE_TIMEOUT
    # Headers and body go out in two writes; with Nagle on, each answer would wait ~40 ms for an ACK.
    disable_nagle_algorithm = True

    def setup(self) -> None:
        super().setup()
        self.server.connections.add(self.connection)

    def finish(self) -> None:
        self.server.connections.discard(self.connection)
        super().finish()

    def __getattr__(self, name: str) -> Callable[[], None]:
        # http.server looks up `do_<METHOD>` and answers 501 itself when it is missing; every
        # method (QUERY, PROPFIND, ...) goes to the service instead, which answers 405 with Allow.
        if name.startswith("do_"):
            return self.dispatch
        raise AttributeError(name)

    def dispatch(self) -> None:
        """Read, hand to the service, answer; the log line comes from the service."""
        body, oversize = self._read_body()
        headers = {name.lower(): value for name, value in self.headers.items()}
        incoming = Incoming(self.command, self.path, headers, body, oversize)
        reply = self.server.service.handle(incoming, self.server.state, self.client_address[0])
        if reply.drop:
            self.close_connection = True
            return
        self._write(reply)

    def _read_body(self) -> tuple[bytes, bool]:
        """(body, oversize): the body when within the service's limit, else empty and True."""
        if self.headers.get("Transfer-Encoding"):
            # http.server does not decode chunked bodies: answer from an empty body, then hang up.
            self.close_connection = True
            return b"", False
        try:
            length = max(0, int(self.headers.get("Content-Length") or 0))
        except ValueError:
            self.close_connection = True
            return b"", False
        limit = self.server.service.max_body_bytes
        if length > MAX_DRAIN_BYTES:
            self.close_connection = True
            return b"", True
        chunks: list[bytes] = []
        remaining = length
        while remaining > 0:
            chunk = self.rfile.read(min(CHUNK_BYTES, remaining))
            if not chunk:
                self.close_connection = True
                break
            remaining -= len(chunk)
            if length <= limit:
                chunks.append(chunk)
        return (b"".join(chunks), False) if length <= limit else (b"", True)

    def _write(self, reply: Reply) -> None:
        payload = b"" if reply.body is None else json.dumps(reply.body).encode("utf-8")
        self.send_response(reply.status)
        for name, value in reply.headers.items():
            self.send_header(name, value)
        if reply.body is not None:
            self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(payload)

    def version_string(self) -> str:
        """The `Server` header: the mock's name only."""
        return self.server_version

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        """Silenced: the service logs its own line per request."""

    def log_error(self, format: str, *args: object) -> None:
        """Malformed HTTP: logged without the request line, which could carry a secret."""
        logger.warning("%s: malformed HTTP request rejected", self.client_address[0])


class ConnectionSet:
    """Open connections, so stopping the server can end idle keep-alive connections at once."""

    def __init__(self) -> None:
        self._sockets: set[socket.socket] = set()
        self._lock = threading.Lock()

    def add(self, connection: socket.socket) -> None:
        """Track one accepted connection."""
        with self._lock:
            self._sockets.add(connection)

    def discard(self, connection: socket.socket) -> None:
        """Forget a finished connection."""
        with self._lock:
            self._sockets.discard(connection)

    def close_all(self) -> None:
        """Shut every open connection down, waking handler threads blocked on a read."""
        with self._lock:
            sockets = list(self._sockets)
        for connection in sockets:
            try:
                connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass  # already closed by the peer
