"""`invitegen mock`: the mock app served over real HTTP by uvicorn, in a thread or as the command.

The listening socket is bound before the server thread starts, so the URL is known (and
connections queue) at once; `stop()` ends pending delays, asks uvicorn to exit and joins its
thread within `STOP_TIMEOUT` seconds. Loopback addresses only, unless `allow_remote`.
"""

from __future__ import annotations

import ipaddress
import logging
import signal
import socket
import sys
import threading
from collections.abc import Callable
from types import FrameType

import uvicorn

from generator.mock.app import MockApp
from generator.mock.exchange import MockState, Recorded
from generator.mock.service import MockService

__all__ = ["MockAddressError", "MockServer", "MockService", "MockState", "Recorded", "serve"]
STOP_TIMEOUT = 5
# An idle keep-alive connection is closed after this many seconds.
KEEP_ALIVE_SECONDS = 30
# The largest request line + headers accepted (uvicorn/h11 answer 400 beyond it).
MAX_HEADER_BYTES = 64 * 1024


class MockAddressError(ValueError):
    """An address the mock will not serve (not loopback without `allow_remote`, or unusable)."""


def is_loopback(host: str) -> bool:
    """Whether `host` names this machine only (`localhost`, 127.0.0.0/8, ::1)."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class MockServer:
    """The mock on one port, served by uvicorn in a background thread; `with` starts and stops it."""

    def __init__(
        self,
        service: MockService,
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        allow_remote: bool = False,
        state: MockState | None = None,
    ) -> None:
        if not allow_remote and not is_loopback(host):
            raise MockAddressError(
                f"the mock serves loopback addresses only, not {host!r} (give --allow-remote to "
                "serve other interfaces)"
            )
        self.service = service
        self.app = MockApp(service, state)
        self.state = self.app.state
        self._socket = _listen(host, port)
        config = uvicorn.Config(
            self.app,
            http="h11",
            loop="asyncio",
            lifespan="off",
            log_config=None,
            access_log=False,
            server_header=False,
            timeout_keep_alive=KEEP_ALIVE_SECONDS,
            timeout_graceful_shutdown=STOP_TIMEOUT,
            h11_max_incomplete_event_size=MAX_HEADER_BYTES,
        )
        self._server = uvicorn.Server(config)
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        """`http://127.0.0.1:<port>`: the base URL to give a client."""
        host, port = self._socket.getsockname()[:2]
        shown = f"[{host}]" if ":" in host else host
        return f"http://{shown}:{port}"

    @property
    def requests(self) -> list[Recorded]:
        """Every request answered so far, oldest first."""
        return self.state.requests

    def start(self) -> MockServer:
        """Serve in a background thread (connections queue on the bound socket meanwhile)."""
        self._thread = threading.Thread(
            target=self._server.run, kwargs={"sockets": [self._socket]}, name="invitegen-mock"
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """End delays, close connections, stop serving, join the thread (bounded), free the port."""
        self.app.request_stop()
        self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(STOP_TIMEOUT)
            if self._thread.is_alive():
                self._server.force_exit = True
                self._thread.join(STOP_TIMEOUT)
            self._thread = None
        self._socket.close()

    def __enter__(self) -> MockServer:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()


def _listen(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    listener = socket.socket(family, socket.SOCK_STREAM)
    try:
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind((host, port))
        listener.listen(128)
    except (OSError, OverflowError) as error:
        listener.close()
        raise MockAddressError(f"cannot listen on {host}:{port}: {error}") from None
    return listener


def serve(
    service: MockService,
    host: str,
    port: int,
    *,
    allow_remote: bool = False,
    describe: str = "",
    announce: Callable[[str], None] = print,
) -> int:
    """Run the mock until SIGINT or SIGTERM; the first line printed names the URL."""
    _configure_logging()
    stop = threading.Event()

    def request_stop(signal_number: int, frame: FrameType | None) -> None:
        stop.set()

    previous = {number: signal.signal(number, request_stop) for number in _STOP_SIGNALS}
    try:
        with MockServer(service, host, port, allow_remote=allow_remote) as server:
            routes = len(service.router.routes)
            announce(f"invitegen mock: listening on {server.url} ({routes} routes{describe})")
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
