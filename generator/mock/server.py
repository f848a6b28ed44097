"""A spec-driven mock of the Graph invite service over real HTTP on loopback (`invitegen mock`).

The spec goes through the generator's own pipeline (resolve -> IR) and its schemas through the
validator compiler, in memory, so the mock always serves exactly the spec it was started with.
Every operation is served under each of its path's servers (`/v1.0/...`, `/beta/...`); a path
parameter is one segment, percent-decoded after the path is split on `/`.

Checks, in order (each answers with a Graph `{"error": {...}}` body):
  404 `itemNotFound` for a path no operation has; 405 `methodNotAllowed` (with `Allow`) for a
  wrong method; 401 `InvalidAuthenticationToken` without `Authorization: Bearer <token>`, or when
  the token starts with `expired` (so a test can make a token expire); 415 `unsupportedMediaType`
  unless the body is `application/json` (UTF-8); 413 `requestTooLarge` above 4 MiB (Graph's 4 MB
  request limit); then the `X-Mock-Fail` test header (below); 400 `invalidRequest` when the body
  is not JSON or breaks the request schema: `error.target` is the first offending data path
  (`recipients[0].email`), `error.details` lists every problem; a write-only field (the password)
  is named but its value is never repeated.

Success: one permission per recipient, built from the request: `roles` (default `["read"]`),
`invitation.email`, `invitation.signInRequired` (= `requireSignIn`, false when absent or null),
`grantedTo`/`grantedToV2`, `hasPassword: true` when a password was given, `expirationDateTime`
when given as an RFC 3339 date-time (the permission schema's format; other strings are dropped).
Permission ids are a hash of the item path, the recipient and the roles: the same request gives
the same ids.

207 rule: when `sendInvitation` is true, a recipient whose email is at domain `fail.example`
cannot be notified. Its permission carries `error` (`code` `notAllowed`, or `quotaLimitReached`
for `exchangeOutOfMailboxQuota`) with `innererror.code` chosen by the local part, matched
case-insensitively, anything after a `+` ignored: `hipCheckRequired@fail.example`,
`exchangeInvalidUser+2@fail.example`, `exchangeOutOfMailboxQuota@...`, `exchangeMaxRecipients@...`;
any other local part gives `accountVerificationRequired`. One such recipient makes the answer 207.

`X-Mock-Fail: <action>[;times=N][;retry-after=V][;seconds=S]` (see `mock_faults`): action `429`
or `503` (with `Retry-After`, default 1; `retry-after=none` omits it), `403`, `500`, `502`, `504`,
`hang` (wait S seconds, then answer) or `drop` (close the connection without answering). The first
N requests (default 1) with the same `client-request-id` fail, so a retried call succeeds after N.

Every response carries `request-id` and `client-request-id` and is checked against its schema
before it is sent. One log line per request on the `invitegen.mock` logger: method, path (query
string elided), status, operation, client-request-id, duration; never a token, body or password.
"""

from __future__ import annotations

import ipaddress
import logging
import signal
import socket
import sys
import threading
from collections.abc import Callable
from http.server import HTTPServer
from pathlib import Path
from socketserver import ThreadingMixIn
from types import FrameType

from generator.mock.exchange import MockService, MockState, Recorded
from generator.mock.http import ConnectionSet, MockRequestHandler

__all__ = ["MockServer", "MockService", "MockState", "Recorded", "serve"]
STOP_TIMEOUT = 5.0


def is_loopback(host: str) -> bool:
    """Whether `host` names this machine only (`localhost`, 127.0.0.0/8, ::1)."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class MockServer(ThreadingMixIn, HTTPServer):
    """The mock on one loopback port, one thread per connection; `with` starts and stops it."""

    # Handler threads are joined on close: stopping leaves no thread behind.
    daemon_threads = False
    block_on_close = True

    def __init__(self, service: MockService, host: str = "127.0.0.1", port: int = 0) -> None:
        if not is_loopback(host):
            raise ValueError(f"the mock serves loopback addresses only, not {host!r}")
        if ":" in host:
            self.address_family = socket.AF_INET6
        self.service = service
        self.state = MockState()
        self.connections = ConnectionSet()
        self._thread: threading.Thread | None = None
        super().__init__((host, port), MockRequestHandler)

    @property
    def url(self) -> str:
        """`http://127.0.0.1:<port>`: the base URL to give a client."""
        host, port = self.socket.getsockname()[:2]
        shown = f"[{host}]" if ":" in host else host
        return f"http://{shown}:{port}"

    @property
    def requests(self) -> list[Recorded]:
        """Every request received so far, oldest first."""
        return self.state.requests

    def start(self) -> MockServer:
        """Serve in a background thread."""
        self._thread = threading.Thread(
            target=self.serve_forever, kwargs={"poll_interval": 0.05}, name="invitegen-mock"
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """End hangs and idle connections, stop serving, join every thread, close the socket."""
        self.state.stopping.set()
        if self._thread is not None:
            self.shutdown()
            self._thread.join(STOP_TIMEOUT)
            self._thread = None
        self.connections.close_all()
        self.server_close()

    def __enter__(self) -> MockServer:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()


def serve(spec_path: Path, host: str, port: int, *, announce: Callable[[str], None] = print) -> int:
    """Run the mock until SIGINT or SIGTERM; the first line printed names the URL."""
    _configure_logging()
    service = MockService.from_spec(spec_path)
    stop = threading.Event()

    def request_stop(signal_number: int, frame: FrameType | None) -> None:
        stop.set()

    previous = {number: signal.signal(number, request_stop) for number in _STOP_SIGNALS}
    try:
        with MockServer(service, host, port) as server:
            routes = len(service.router.routes)
            announce(
                f"invitegen mock: listening on {server.url} ({routes} routes from {spec_path})"
            )
            sys.stdout.flush()
            # A timed wait keeps the main thread responsive to signals on every platform.
            while not stop.wait(0.2):
                pass
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
    announce("invitegen mock: stopped")
    return 0


_STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)


def _configure_logging() -> None:
    """Request lines to stderr, unless the embedding program configured the logger itself."""
    mock_logger = logging.getLogger("invitegen.mock")
    if not mock_logger.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(asctime)s %(message)s"))
        mock_logger.addHandler(handler)
        mock_logger.setLevel(logging.INFO)
