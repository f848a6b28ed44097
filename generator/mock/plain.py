"""The layer for any spec: answers from the spec, errors as `{"error": ...}`, and one piece of state:
a path deleted with a successful DELETE answers 404 (to any method but POST) until a PUT to it, a
POST to its collection, or a reset, as a real service's deleted resource does."""

from __future__ import annotations

import threading
from typing import Any

from generator.mock.exchange import Exchange, LayerState, Reply, Served

# A long-running mock remembers at most this many deleted paths.
MAX_DELETED = 10_000


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
        """`{"error": {"code", "message", "target"?, "details"?}}` (redrawn to fit the spec's
        error schema when it declares another shape)."""
        error: dict[str, Any] = {"code": code, "message": message}
        if extra.get("target") is not None:
            error["target"] = extra["target"]
        if extra.get("details"):
            error["details"] = [
                {"code": detail.code, "message": detail.message, "target": detail.target}
                for detail in extra["details"]
            ]
        return {"error": error}

    def finish(self, exchange: Exchange, reply: Reply) -> Reply:
        """As it is."""
        return reply
