"""Access comparison: the security requirements and servers of one operation in two specs.

Security is compared as oasdiff does: the operation's own `security` list per operation
(`api-security-*`) and the document's top-level list once (`api-global-security-*`), requirement
by requirement and scope by scope, all INFO (oasdiff leaves authorization policy to the reader).
Servers are the operation's effective servers (operation, else path item, else document, else
`/`), compared by URL (oasdiff has no server rules; ours are INFO and WARN).
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


def _requirements(listed: Any, pointer: str) -> list[Requirement]:
    return [
        Requirement(_requirement_key(requirement), join_pointer(pointer, index))
        for index, requirement in enumerate(listed if isinstance(listed, list) else ())
        if isinstance(requirement, dict)
    ]


def _requirement_key(requirement: dict[str, Any]) -> RequirementKey:
    return tuple(
        (
            str(scheme),
            tuple(sorted(str(scope) for scope in (scopes if isinstance(scopes, list) else ()))),
        )
        for scheme, scopes in sorted(requirement.items())
    )


def compare_security(log: ChangeLog, pair: OperationPair) -> None:
    """The operation's own `security` list: requirements and their scopes (oasdiff: all INFO)."""
    old_listed, new_listed = pair.old.data.get("security"), pair.new.data.get("security")
    if old_listed is None and new_listed is None:
        return
    old = _requirements(old_listed, join_pointer(pair.old.pointer, "security"))
    new = _requirements(new_listed, join_pointer(pair.new.pointer, "security"))
    _compare_requirements(log, pair.label, "api", old, new)


def compare_global_security(log: ChangeLog) -> None:
    """The document's top-level `security` list, once for the whole API."""
    old = _requirements(log.old.data.get("security"), "#/security")
    new = _requirements(log.new.data.get("security"), "#/security")
    _compare_requirements(log, "", "api-global", old, new)


def _compare_requirements(
    log: ChangeLog,
    label: str,
    stem: str,
    old: list[Requirement],
    new: list[Requirement],
) -> None:
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
            log.add(f"{stem}-security-removed", label, detail, old_spot(before.pointer))
            continue
        added.remove(after)
        _compare_scopes(log, label, stem, before, after)
    for after in added:
        detail = f"security requirement {code(after.text)} added"
        log.add(f"{stem}-security-added", label, detail, new_spot(after.pointer))


def _compare_scopes(
    log: ChangeLog, label: str, stem: str, before: Requirement, after: Requirement
) -> None:
    """Same schemes, different scopes: one change per scope added or removed."""
    for (_, old_scopes), (scheme, new_scopes) in zip(before.key, after.key, strict=True):
        for scope in sorted(set(new_scopes) - set(old_scopes)):
            detail = (
                f"{code(scheme)} scope {code(scope)} added to security requirement "
                f"{code(before.text)}"
            )
            log.add(f"{stem}-security-scope-added", label, detail, new_spot(after.pointer))
        for scope in sorted(set(old_scopes) - set(new_scopes)):
            requirement = code(before.text)
            detail = f"{code(scheme)} scope {code(scope)} removed from security requirement {requirement}"
            log.add(f"{stem}-security-scope-removed", label, detail, new_spot(after.pointer))


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
