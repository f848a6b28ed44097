"""What differs between services, kept in one record the client reads: `ServiceRules`.

A generic package uses `DEFAULT_RULES`: no per-call request id header, error bodies read by
`errors.error_fields`, a 401 answered by asking the token source again without claims. The
Microsoft Graph layer (module `graph`, emitted only for Graph documents) supplies `GRAPH_RULES`:
Graph's `client-request-id` header, its error shape, Continuous Access Evaluation challenges and
qualified action names (`x-graph-qualified-name`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from .errors import ErrorReader, error_fields
from .types import FrozenRecord

# Reads a `WWW-Authenticate` header: the claims to ask the token source for, or None.
ChallengeReader = Callable[[str], "str | None"]


def no_claims(www_authenticate: str) -> str | None:
    """The generic challenge reader: a 401 never carries claims the token source should see."""
    return None


class ServiceRules(FrozenRecord):
    """`request_id_header`: the header carrying a per-call id, kept across retries ("" for none);
    `read_error`: error body -> fields; `read_challenge`: `WWW-Authenticate` -> claims or None;
    `qualified_name_extension`: the operation extension naming an action's qualified name, which
    `qualified_action_names=True` sends instead of the short one ("": the API has none)."""

    __slots__ = ("qualified_name_extension", "read_challenge", "read_error", "request_id_header")
    _fields: ClassVar[tuple[str, ...]] = (
        "request_id_header",
        "read_error",
        "read_challenge",
        "qualified_name_extension",
    )
    request_id_header: str
    read_error: ErrorReader
    read_challenge: ChallengeReader
    qualified_name_extension: str

    def __init__(
        self,
        request_id_header: str = "",
        read_error: ErrorReader = error_fields,
        read_challenge: ChallengeReader = no_claims,
        qualified_name_extension: str = "",
    ) -> None:
        self._init(
            request_id_header=request_id_header,
            read_error=read_error,
            read_challenge=read_challenge,
            qualified_name_extension=qualified_name_extension,
        )


DEFAULT_RULES = ServiceRules()

__all__ = ["DEFAULT_RULES", "ChallengeReader", "ServiceRules", "no_claims"]
