"""Document-level comparison: `info.version`, webhooks, component schemas, security schemes, and
oasdiff's versioning policy (an ERR change needs a major `info.version` bump)."""

from __future__ import annotations

import re
from typing import Any

from generator.diff.model import ChangeLog, code, new_spot, old_spot
from generator.diff.rules import Category, Level
from generator.errors import join_pointer
from generator.spec.refs import ResolvedSpec

# semver.org's grammar (with an optional `v`), as oasdiff's versioning policy reads versions.
_SEMVER = re.compile(
    r"v?(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)"
    r"(?:-[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?(?:\+[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?"
)


def spec_version(spec: ResolvedSpec) -> str:
    """The spec's `info.version`, or an empty string when it has none."""
    info = spec.data.get("info")
    version = info.get("version") if isinstance(info, dict) else None
    return str(version) if version is not None else ""


def compare_info(log: ChangeLog) -> None:
    """`info.version` changed: a note, and the input of the versioning policy."""
    before, after = spec_version(log.old), spec_version(log.new)
    if before != after:
        detail = f"info.version changed from {code(before)} to {code(after)}"
        log.add("api-version-changed", "", detail, new_spot("#/info/version"))


def _section(spec: ResolvedSpec, *path: str) -> dict[str, Any]:
    node: Any = spec.data
    for key in path:
        node = node.get(key) if isinstance(node, dict) else None
    return node if isinstance(node, dict) else {}


def compare_webhooks(log: ChangeLog) -> None:
    """OpenAPI 3.1 `webhooks` added or removed, by name."""
    old, new = _section(log.old, "webhooks"), _section(log.new, "webhooks")
    for name in sorted(old.keys() - new.keys()):
        spot = old_spot(join_pointer("#/webhooks", name))
        log.add("webhook-removed", "", f"webhook {code(name)} removed", spot)
    for name in sorted(new.keys() - old.keys()):
        spot = new_spot(join_pointer("#/webhooks", name))
        log.add("webhook-added", "", f"webhook {code(name)} added", spot)


def compare_component_schemas(log: ChangeLog) -> None:
    """Component schemas removed (oasdiff's `api-schema-removed`, INFO)."""
    old = _section(log.old, "components", "schemas")
    new = _section(log.new, "components", "schemas")
    for name in sorted(old.keys() - new.keys()):
        spot = old_spot(join_pointer("#/components/schemas", name))
        log.add("api-schema-removed", "", f"component schema {code(name)} removed", spot)


def compare_security_schemes(log: ChangeLog) -> None:
    """`components.securitySchemes`: schemes added, removed, retyped; OAuth URLs and scopes."""
    old = _section(log.old, "components", "securitySchemes")
    new = _section(log.new, "components", "securitySchemes")
    for name in sorted(old.keys() | new.keys()):
        pointer = join_pointer("#/components/securitySchemes", name)
        subject = f"security scheme {code(name)}"
        if name not in new:
            log.add("api-security-component-removed", "", f"{subject} removed", old_spot(pointer))
        elif name not in old:
            log.add("api-security-component-added", "", f"{subject} added", new_spot(pointer))
        elif isinstance(old[name], dict) and isinstance(new[name], dict):
            _compare_scheme(log, subject, pointer, old[name], new[name])


def _compare_scheme(
    log: ChangeLog, subject: str, pointer: str, old: dict[str, Any], new: dict[str, Any]
) -> None:
    if old.get("type") != new.get("type"):
        detail = f"{subject} type changed from {code(str(old.get('type')))} to {code(str(new.get('type')))}"
        spot = new_spot(join_pointer(pointer, "type"))
        log.add("api-security-component-type-changed", "", detail, spot)
        return
    old_flows, new_flows = old.get("flows"), new.get("flows")
    if not isinstance(old_flows, dict) or not isinstance(new_flows, dict):
        return
    for flow in sorted(old_flows.keys() & new_flows.keys()):
        before, after = old_flows[flow], new_flows[flow]
        if isinstance(before, dict) and isinstance(after, dict):
            flow_pointer = join_pointer(pointer, "flows", flow)
            _compare_flow(log, f"{subject} flow {code(flow)}", flow_pointer, before, after)


_FLOW_URLS = {
    "authorizationUrl": "api-security-component-oauth-url-changed",
    "tokenUrl": "api-security-component-oauth-token-url-changed",
}


def _compare_flow(
    log: ChangeLog, subject: str, pointer: str, old: dict[str, Any], new: dict[str, Any]
) -> None:
    for keyword, rule in _FLOW_URLS.items():
        if old.get(keyword) != new.get(keyword):
            detail = f"{subject} {keyword} changed to {code(str(new.get(keyword)))}"
            log.add(rule, "", detail, new_spot(join_pointer(pointer, keyword)))
    before: dict[str, Any] = old["scopes"] if isinstance(old.get("scopes"), dict) else {}
    after: dict[str, Any] = new["scopes"] if isinstance(new.get("scopes"), dict) else {}
    scopes = join_pointer(pointer, "scopes")
    for scope in sorted(before.keys() | after.keys()):
        spot = join_pointer(scopes, scope)
        if scope not in after:
            detail = f"{subject} scope {code(scope)} removed"
            log.add("api-security-component-oauth-scope-removed", "", detail, old_spot(spot))
        elif scope not in before:
            detail = f"{subject} scope {code(scope)} added"
            log.add("api-security-component-oauth-scope-added", "", detail, new_spot(spot))
        elif before[scope] != after[scope]:
            detail = f"{subject} scope {code(scope)} description changed"
            log.add("api-security-component-oauth-scope-changed", "", detail, new_spot(spot))


def _semver(version: str) -> tuple[int, int, int] | None:
    match = _SEMVER.fullmatch(version)
    return None if match is None else (int(match[1]), int(match[2]), int(match[3]))


def apply_versioning_policy(log: ChangeLog) -> None:
    """oasdiff's policy: an ERR change of the API needs a major bump (a minor one below 1.0.0).

    Judged only when both versions are semver; reported at INFO like oasdiff's default.
    """
    before_text, after_text = spec_version(log.old), spec_version(log.new)
    before, after = _semver(before_text), _semver(after_text)
    breaking = any(
        change.level is Level.ERR and change.category is Category.API for change in log.changes
    )
    if before is None or after is None or not breaking:
        return
    spot = new_spot("#/info/version")
    if before_text == after_text:
        detail = f"the API has ERR changes but info.version is still {code(after_text)}"
        log.add("api-version-not-bumped", "", detail, spot)
    elif after < before:
        detail = f"info.version decreased from {code(before_text)} to {code(after_text)}"
        log.add("api-version-decreased", "", detail, spot)
    elif not (after[0] > before[0] or (before[0] == after[0] == 0 and after[1] > before[1])):
        detail = (
            f"the API has ERR changes but info.version went from {code(before_text)} to "
            f"{code(after_text)}, not a major version bump"
        )
        log.add("api-major-version-not-bumped", "", detail, spot)
