"""Credentials, and how an operation's security requirement is applied to each request.

A generated client knows the API's security schemes (`SchemeTable`: scheme name -> kind, where,
under which name) and each request carries its operation's requirement: alternatives, each a set
of scheme names that must all be applied. The first alternative whose credentials the client was
given is used; an empty alternative means authentication is optional; no alternatives at all
(`security: []`) means none is sent; `None` means the spec states no requirement anywhere, and
then a token, when given, is sent as a bearer token on every request.

Kinds: `bearer` (HTTP bearer, OAuth 2, OpenID Connect) takes `token` (a string or a callable
returning one, asked again after a 401); `basic` takes `basic_auth=(user, password)`; `api_key`
takes `api_key` (one string for every API-key scheme, or a mapping scheme name -> key) and sends
it in a header, the query or a cookie as the scheme says. Secrets never appear in reprs or error
messages, and an API key sent in the query is masked in the log lines of httpx.
"""

from __future__ import annotations

import base64
import logging
from collections.abc import Callable, Mapping
from urllib.parse import quote

from .errors import ApiError
from .redaction import check_token

TokenSource = str | Callable[..., str]
# Scheme name -> (kind: bearer, basic, api_key or "" when unsupported; location; parameter name).
SchemeTable = Mapping[str, tuple[str, str, str]]
# One scheme of a chosen alternative: (kind, location, parameter, scheme name).
Applied = tuple[str, str, str, str]
# What each kind of scheme takes, as the constructor names it.
_ARGUMENT = {"bearer": "token", "basic": "basic_auth", "api_key": "api_key"}
_MASK = "[redacted]"


class MissingCredentialsError(ApiError):
    """No alternative of the operation's security requirement can be met with the credentials
    the client was given (raised before sending; `status_code` is None)."""


def check_secret(what: str, value: object) -> str:
    """A credential that may go into a header: visible ASCII; the error never shows the value."""
    if not isinstance(value, str) or not value:
        raise TypeError(f"{what} must be a non-empty string")
    for position, character in enumerate(value):
        if not 0x20 < ord(character) < 0x7F:
            raise ValueError(
                f"{what} contains a character that cannot be sent at position {position} of "
                f"{len(value)} (control, space or non-ASCII); a key read from a file often ends "
                "with a newline: strip it"
            )
    return value


def _basic(basic_auth: object) -> str:
    """`Basic base64(user:password)` for a (user, password) pair (RFC 7617, UTF-8)."""
    if not (
        isinstance(basic_auth, tuple)
        and len(basic_auth) == 2
        and all(isinstance(part, str) for part in basic_auth)
    ):
        raise TypeError("basic_auth must be a (user, password) tuple of strings")
    user, password = basic_auth
    if ":" in user:
        raise ValueError("the basic_auth user name must not contain ':'")
    if any(ord(character) < 0x20 or ord(character) == 0x7F for character in user + password):
        raise ValueError("basic_auth must not contain control characters")
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode("ascii")


def _accepts_claims(source: Callable[..., str]) -> bool:
    """Whether a token callable takes `claims=` (then it hears a CAE challenge's claims)."""
    import inspect

    try:
        parameters = inspect.signature(source).parameters
    except (TypeError, ValueError):
        return False
    return "claims" in parameters or any(
        p.kind is inspect.Parameter.VAR_KEYWORD for p in parameters.values()
    )


class _QueryKeyFilter(logging.Filter):
    """Masks API keys sent in the query in httpx's `HTTP Request: GET <url>` log lines."""

    def __init__(self) -> None:
        super().__init__()
        self.secrets: set[str] = set()

    def filter(self, record: logging.LogRecord) -> bool:
        if self.secrets:
            message = record.getMessage()
            for secret in self.secrets:
                message = message.replace(secret, _MASK)
            record.msg, record.args = message, ()
        return True


_QUERY_KEYS = _QueryKeyFilter()


def _mask_in_logs(encoded: str) -> None:
    if not _QUERY_KEYS.secrets:
        logging.getLogger("httpx").addFilter(_QUERY_KEYS)
    _QUERY_KEYS.secrets.add(encoded)


class Credentials:
    """The secrets a client holds, checked against the API's schemes; never shown by `repr`."""

    __slots__ = ("_api_keys", "_basic", "_claims", "_token", "schemes")

    def __init__(
        self,
        schemes: SchemeTable,
        token: TokenSource | None = None,
        api_key: str | Mapping[str, str] | None = None,
        basic_auth: tuple[str, str] | None = None,
    ) -> None:
        self.schemes = dict(schemes)
        if isinstance(token, str):
            check_token(token)
        elif token is not None and not callable(token):
            raise TypeError("token must be a string or a callable returning one")
        self._token = token
        self._claims = callable(token) and _accepts_claims(token)
        self._basic = None if basic_auth is None else _basic(basic_auth)
        self._api_keys = self._keys(api_key)
        given = {
            "token": token is not None,
            "basic_auth": basic_auth is not None,
            "api_key": api_key is not None,
        }
        self._check_kinds([argument for argument, present in given.items() if present])

    def _keys(self, api_key: str | Mapping[str, str] | None) -> dict[str, str]:
        """Scheme name -> key, for every API-key scheme the argument covers."""
        names = sorted(name for name, (kind, _, _) in self.schemes.items() if kind == "api_key")
        if api_key is None:
            return {}
        if isinstance(api_key, str):
            keys = dict.fromkeys(names, api_key)
        elif isinstance(api_key, Mapping):
            unknown = sorted(set(api_key) - set(names))
            if unknown:
                known = ", ".join(names) or "none"
                raise ValueError(
                    f"api_key names {', '.join(map(repr, unknown))}: not an API-key security "
                    f"scheme of this API (its API-key schemes: {known})"
                )
            keys = dict(api_key)
        else:
            raise TypeError("api_key must be a string or a mapping of scheme name -> key")
        for name, key in keys.items():
            location = self.schemes[name][1]
            # A header or cookie key must be sendable as it is; a query key is percent-encoded.
            if location == "query":
                if not isinstance(key, str) or not key:
                    raise TypeError(f"the API key for {name!r} must be a non-empty string")
                _mask_in_logs(quote(key, safe=""))
            else:
                check_secret(f"the API key for {name!r}", key)
        return keys

    def _check_kinds(self, given: list[str]) -> None:
        """Refuse a credential the API has no scheme for (when it declares schemes at all)."""
        offered = {_ARGUMENT[kind] for kind, _, _ in self.schemes.values() if kind in _ARGUMENT}
        if not self.schemes:
            offered = {"token"}  # no schemes declared: a token is sent as a bearer token
        extra = [argument for argument in given if argument not in offered]
        if extra:
            takes = ", ".join(sorted(offered)) or "no credentials"
            raise ValueError(
                f"this API has no security scheme that takes {', '.join(extra)} (it takes: {takes})"
            )

    def __repr__(self) -> str:
        present = [
            name
            for name, value in (
                ("token", self._token),
                ("api_key", self._api_keys),
                ("basic_auth", self._basic),
            )
            if value
        ]
        return f"Credentials({', '.join(present)})"

    @property
    def refreshable(self) -> bool:
        """A callable token source can be asked again after a 401."""
        return callable(self._token)

    def token(self, claims: str | None = None) -> str:
        """The current bearer token (the CAE claims passed on when the source takes them)."""
        source = self._token
        if source is None:
            raise TypeError("no token was given")
        if isinstance(source, str):
            return source
        token = source(claims=claims) if self._claims and claims is not None else source()
        return check_token(token)

    def _met(self, name: str) -> bool:
        kind, _, _ = self.schemes.get(name, ("", "", ""))
        present = {"bearer": self._token, "basic": self._basic, "api_key": self._api_keys.get(name)}
        return bool(present.get(kind))

    def choose(
        self, operation_id: str, security: tuple[tuple[str, ...], ...] | None
    ) -> tuple[Applied, ...]:
        """The schemes to apply for a request: its first alternative the credentials meet.

        A `MissingCredentialsError` naming what each alternative needs when none is met.
        """
        if security is None:
            return (("bearer", "header", "Authorization", ""),) if self._token is not None else ()
        for alternative in security:
            if all(self._met(name) for name in alternative):
                return tuple((*self.schemes[name], name) for name in alternative)
        if not security:
            return ()
        needs = "; or ".join(
            " and ".join(f"{name} ({self._argument(name)})" for name in alternative)
            for alternative in security
        )
        raise MissingCredentialsError(
            f"{operation_id} needs credentials the client was not given: {needs}",
            status_code=None,
        )

    def _argument(self, name: str) -> str:
        kind = self.schemes.get(name, ("", "", ""))[0]
        return _ARGUMENT.get(kind, "not supported by this client")

    def apply(
        self, applied: tuple[Applied, ...], token: str, headers: dict[str, str], url: str
    ) -> str:
        """Put the chosen credentials into `headers` (in place); the URL with any query key."""
        for kind, location, parameter, name in applied:
            if kind == "bearer":
                headers["Authorization"] = f"Bearer {token}"
            elif kind == "basic" and self._basic:
                headers["Authorization"] = self._basic
            elif location == "header":
                headers[parameter] = self._api_keys[name]
            elif location == "cookie":
                pair = f"{parameter}={quote(self._api_keys[name], safe='')}"
                cookie = headers.get("Cookie")
                headers["Cookie"] = f"{cookie}; {pair}" if cookie else pair
            elif location == "query":
                pair = f"{quote(parameter, safe='')}={quote(self._api_keys[name], safe='')}"
                url += ("&" if "?" in url else "?") + pair
        return url


def uses_token(applied: tuple[Applied, ...]) -> bool:
    """Whether a chosen alternative sends the bearer token."""
    return any(kind == "bearer" for kind, _, _, _ in applied)


__all__ = [
    "Applied",
    "Credentials",
    "MissingCredentialsError",
    "SchemeTable",
    "TokenSource",
    "check_secret",
    "uses_token",
]
