"""Rule levels and categories: oasdiff's ERR/WARN/INFO, whom a change breaks, and `Rule`."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class Level(str, Enum):
    """oasdiff's levels: ERR breaks existing clients, WARN may break them, INFO does not."""

    ERR = "ERR"
    WARN = "WARN"
    INFO = "INFO"

    @property
    def rank(self) -> int:
        """Sort order: ERR first."""
        return _LEVEL_ORDER.index(self)

    @property
    def heading(self) -> str:
        """Section title used by the renderers and the changelog."""
        return _HEADINGS[self]


class Category(str, Enum):
    """Whom a change breaks: callers of the HTTP API, or code using the generated client."""

    API = "api"
    CLIENT = "generated-client"


_LEVEL_ORDER = (Level.ERR, Level.WARN, Level.INFO)
_HEADINGS = {
    Level.ERR: "Breaking changes (ERR)",
    Level.WARN: "Possibly breaking changes (WARN)",
    Level.INFO: "Other changes (INFO)",
}
LEVELS = _LEVEL_ORDER
ERR, WARN, INFO = Level.ERR, Level.WARN, Level.INFO


@dataclass(frozen=True)
class Rule:
    """One kind of change: its id, level, category and what it means."""

    id: str
    level: Level
    summary: str
    category: Category = Category.API
