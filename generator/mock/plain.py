"""The layer for any spec: answers from the spec, errors in the spec's own error shape or else as
RFC 9457 problem details, and one piece of state: a path deleted with a successful DELETE answers
404 (to any method but POST) until a PUT to it, a POST to its collection, or a reset, as a real
service's deleted resource does."""

from __future__ import annotations

import threading
from http import HTTPStatus
from typing import Any

from generator.mock.exchange import Exchange, LayerState, Reply, Served

# A long-running mock remembers at most this many deleted paths.
MAX_DELETED = 10_000
# RFC 9457: the media type of a problem details body.
PROBLEM_MEDIA_TYPE = "application/problem+json"


class DeletedPaths:
    """Paths deleted so far (thread-safe)."""

    def __init__(self) -> None:
        self._paths: dict[str, None] = {}
        self._lock = threading.Lock()

    def reset(self) -> None:
        """Nothing deleted."""
        with self._lock:
            self._paths.clear()

    def __contains__(self, path: str) -> bool:
        with self._lock:
            return path in self._paths

    def add(self, path: str) -> None:
        """Remember one deleted path."""
        with self._lock:
            self._paths[path] = None
            while len(self._paths) > MAX_DELETED:
                self._paths.pop(next(iter(self._paths)))

    def forget_under(self, prefix: str) -> None:
        """A POST to a collection may create any of its members again."""
        with self._lock:
            for path in [path for path in self._paths if path.startswith(prefix)]:
                del self._paths[path]

    def discard(self, path: str) -> None:
        """A PUT created it again."""
        with self._lock:
            self._paths.pop(path, None)


class PlainLayer:
    """Spec-only behaviour: the core answers every operation from the spec."""

    name = "plain"
    # Errors no operation documents are problem details; documented ones take the spec's type.
    error_media_type = PROBLEM_MEDIA_TYPE

    def new_state(self) -> LayerState:
        """No path deleted yet."""
        return DeletedPaths()

    def aliases(self, raw_path: str) -> list[str]:
        """A path is served only as the spec writes it."""
        return []

    def answer(self, service: Served, exchange: Exchange, state: LayerState) -> Reply | None:
        """404 for a deleted path; otherwise the spec answers (a DELETE is remembered)."""
        assert isinstance(state, DeletedPaths)
        method, path = exchange.incoming.method, exchange.path
        if method == "POST":
            state.forget_under(path.rstrip("/") + "/")
            return None
        if path in state:
            if method != "PUT":
                return exchange.error(404, "itemNotFound", "The resource was deleted.")
            state.discard(path)
        elif method == "DELETE":
            state.add(path)
        return None

    def error_body(self, exchange: Exchange, code: str, message: str, **extra: Any) -> Any:
        """RFC 9457 problem details, `{"type": "about:blank", "title", "status", "detail"}` plus
        `target` and `errors` (each `{"detail", "target"}`) when there are some. `code` (the
        Graph-style name the core gives) is left out: this layer is no particular service. The
        service redraws the body to fit the spec's error schema when it has one."""
        status = int(extra.get("status") or 500)
        try:
            title = HTTPStatus(status).phrase
        except ValueError:
            title = "Error"
        problem: dict[str, Any] = {
            "type": "about:blank",
            "title": title,
            "status": status,
            "detail": message,
        }
        if extra.get("target") is not None:
            problem["target"] = extra["target"]
        if extra.get("details"):
            problem["errors"] = [
                {"detail": detail.message, "target": detail.target} for detail in extra["details"]
            ]
        return problem

    def finish(self, exchange: Exchange, reply: Reply) -> Reply:
        """As it is."""
        return reply
