"""A loopback HTTP server that answers from a script: the client tests' real-HTTP counterpart.

Each test queues `Reply`s; the server answers requests in order and records what it received
(method, path, headers, body). A reply's body is bytes, or an iterator of chunks sent with
`Transfer-Encoding: chunked` (an endless iterator makes an endless stream: the handler stops when
the client hangs up). No test reads the clock: time in the client comes from a fake clock.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Reply:
    """One scripted answer."""

    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes | Iterable[bytes] = b""


@dataclass
class Received:
    """One request as the server saw it."""

    method: str
    path: str
    headers: dict[str, str]
    body: bytes


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: tests read `received`, not stderr."""

    def _serve(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        headers = {name.lower(): value for name, value in self.headers.items()}
        self.server.received.append(Received(self.command, self.path, headers, body))
        reply = self.server.replies.popleft() if self.server.replies else Reply(599)
        self.send_response(reply.status)
        for name, value in reply.headers.items():
            self.send_header(name, value)
        try:
            if isinstance(reply.body, bytes):
                if "Content-Length" not in reply.headers:
                    self.send_header("Content-Length", str(len(reply.body)))
                self.end_headers()
                self.wfile.write(reply.body)
            else:
                self.send_header("Transfer-Encoding", "chunked")
                self.end_headers()
                self._chunked(iter(reply.body))
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True

    def _chunked(self, chunks: Iterator[bytes]) -> None:
        for chunk in chunks:
            if chunk:
                self.wfile.write(f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n")
                self.wfile.flush()
        self.wfile.write(b"0\r\n\r\n")

    do_GET = do_POST = do_PATCH = do_DELETE = do_PUT = _serve


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.replies: deque[Reply] = deque()
        self.received: list[Received] = []


class ScriptedServer:
    """`with ScriptedServer() as server:` then `server.reply(...)`, `server.url`, `server.received`."""

    def __init__(self) -> None:
        self._server = _Server()
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        """`http://127.0.0.1:<port>`."""
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    @property
    def received(self) -> list[Received]:
        """Requests received so far, oldest first."""
        return self._server.received

    def reply(self, *replies: Reply) -> None:
        """Queue answers for the next requests."""
        self._server.replies.extend(replies)

    def __enter__(self) -> ScriptedServer:
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()
