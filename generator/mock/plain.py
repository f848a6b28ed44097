"""The layer for any spec: no aliases, no state, answers from the spec, errors as `{"error": ...}`."""

from __future__ import annotations

from typing import Any

from generator.mock.exchange import Exchange, LayerState, Reply, Served


class NoState:
    """A layer state with nothing in it."""

    def reset(self) -> None:
        """Nothing to forget."""


class PlainLayer:
    """Spec-only behaviour: the core answers every operation from the spec."""

    name = "plain"

    def new_state(self) -> LayerState:
        """No state."""
        return NoState()

    def aliases(self, raw_path: str) -> list[str]:
        """A path is served only as the spec writes it."""
        return []

    def answer(self, service: Served, exchange: Exchange, state: LayerState) -> Reply | None:
        """Leave every answer to the spec."""
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
