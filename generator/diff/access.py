"""Access comparison: the security requirements and servers of one operation in two specs.

Security requirements are alternatives: a caller needs to satisfy any one. Removing an alternative
or adding a scope to one locks out callers whose token matched it (breaking); adding an alternative
or dropping a scope lets more callers in. Servers are the operation's effective servers
(operation, else path item, else document, else `/`), compared by URL.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from generator.diff.model import ChangeLog, code, new_spot, old_spot
from generator.diff.operation_model import Operation, OperationPair
from generator.errors import join_pointer
from generator.spec.refs import ResolvedSpec

RequirementKey = tuple[tuple[str, tuple[str, ...]], ...]


@dataclass(frozen=True)
class Requirement:
    """One security requirement object: scheme -> scopes, and its pointer."""

    key: RequirementKey
    pointer: str

    @property
    def schemes(self) -> tuple[str, ...]:
        """The scheme names it needs, sorted."""
        return tuple(scheme for scheme, _ in self.key)

    @property
    def text(self) -> str:
        """`oauth2: Files.ReadWrite, Sites.ReadWrite.All`; `;` between schemes."""
        return "; ".join(
            f"{scheme}: {', '.join(scopes)}".rstrip(": ") for scheme, scopes in self.key
        )


def _security(spec: ResolvedSpec, operation: Operation) -> list[Requirement]:
    if "security" in operation.data:
        listed, pointer = operation.data["security"], join_pointer(operation.pointer, "security")
    else:
        listed, pointer = spec.data.get("security", []), "#/security"
    return [
        Requirement(_requirement_key(requirement), join_pointer(pointer, index))
        for index, requirement in enumerate(listed if isinstance(listed, list) else ())
        if isinstance(requirement, dict)
    ]


def _requirement_key(requirement: dict[str, Any]) -> RequirementKey:
    return tuple(
        (
            scheme,
            tuple(sorted(str(scope) for scope in (scopes if isinstance(scopes, list) else ()))),
        )
        for scheme, scopes in sorted(requirement.items())
    )


def compare_security(log: ChangeLog, pair: OperationPair) -> None:
    """Anonymous access gained or lost; alternatives and their scopes added or removed."""
    old, new = _security(log.old, pair.old), _security(log.new, pair.new)
    old_anonymous = not old or any(not requirement.key for requirement in old)
    new_anonymous = not new or any(not requirement.key for requirement in new)
    if old_anonymous != new_anonymous:
        rule, detail = (
            ("api-security-not-required", "anonymous access is now allowed")
            if new_anonymous
            else ("api-security-required", "now requires authentication")
        )
        log.add(rule, pair.label, detail, new_spot(new[0].pointer if new else pair.new.pointer))
    if old_anonymous or new_anonymous:
        return
    new_keys = {requirement.key for requirement in new}
    old_keys = {requirement.key for requirement in old}
    removed = [requirement for requirement in old if requirement.key not in new_keys]
    added = [requirement for requirement in new if requirement.key not in old_keys]
    for before in removed:
        after = next(
            (candidate for candidate in added if candidate.schemes == before.schemes), None
        )
        if after is None:
            detail = f"security requirement {code(before.text)} removed"
            log.add("api-security-removed", pair.label, detail, old_spot(before.pointer))
            continue
        added.remove(after)
        _compare_scopes(log, pair, before, after)
    for after in added:
        detail = f"security requirement {code(after.text)} added as an alternative"
        log.add("api-security-added", pair.label, detail, new_spot(after.pointer))


def _compare_scopes(
    log: ChangeLog, pair: OperationPair, before: Requirement, after: Requirement
) -> None:
    """Same schemes, different scopes: one change per scope added or removed."""
    for (_, old_scopes), (scheme, new_scopes) in zip(before.key, after.key, strict=True):
        for scope in sorted(set(new_scopes) - set(old_scopes)):
            detail = (
                f"{code(scheme)} scope {code(scope)} added to security requirement "
                f"{code(before.text)}"
            )
            log.add("api-security-scope-added", pair.label, detail, new_spot(after.pointer))
        for scope in sorted(set(old_scopes) - set(new_scopes)):
            requirement = code(before.text)
            detail = f"{code(scheme)} scope {code(scope)} removed from security requirement {requirement}"
            log.add("api-security-scope-removed", pair.label, detail, new_spot(after.pointer))


def _servers(spec: ResolvedSpec, operation: Operation) -> dict[str, str]:
    owners = (
        (operation.data, operation.pointer),
        (operation.path_item, operation.path_pointer),
        (spec.data, "#"),
    )
    for owner, pointer in owners:
        servers = owner.get("servers")
        if isinstance(servers, list) and servers:
            return {
                str(server.get("url", "")).rstrip("/")
                or "/": join_pointer(pointer, "servers", index)
                for index, server in enumerate(servers)
                if isinstance(server, dict)
            }
    return {"/": "#"}  # OpenAPI's default server


def compare_servers(log: ChangeLog, pair: OperationPair) -> None:
    """Server URLs the operation is served from, added or removed."""
    old, new = _servers(log.old, pair.old), _servers(log.new, pair.new)
    for url in sorted(old.keys() - new.keys()):
        log.add("api-server-removed", pair.label, f"server {code(url)} removed", old_spot(old[url]))
    for url in sorted(new.keys() - old.keys()):
        log.add("api-server-added", pair.label, f"server {code(url)} added", new_spot(new[url]))
