"""Media type names: oasdiff's pairing of a response media type renamed in a compatible way.

`application/json` and `application/json; charset=utf-8` (parameters changed), or
`application/json` and `application/problem+json` (a `+json` suffix naming the old subtype), are
one media type renamed, not one removed and another added: the schemas under them are compared,
and the rename is `response-media-type-name-changed`, `-specialized` (INFO) or `-generalized`
(ERR: readers of the specific type now get the general one).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from generator.diff.model import ChangeLog, code, new_spot
from generator.diff.operation_model import OperationPair

Located = tuple[dict[str, Any], str]


@dataclass(frozen=True)
class MediaTypeName:
    """`type/subtype+suffix; parameters`, lower-cased where HTTP says case does not matter."""

    type: str
    subtype: str
    suffix: str
    parameters: tuple[tuple[str, str], ...]


def parse_media_type(name: str) -> MediaTypeName | None:
    """A media type name -> its parts; None when it is not `type/subtype` with one `+suffix` at most."""
    essence, *raw_parameters = name.split(";")
    parts = essence.strip().lower().split("/")
    if len(parts) != 2 or not all(parts):
        return None
    subtype, plus, suffix = parts[1].partition("+")
    if (plus and not suffix) or "+" in suffix:
        return None
    parameters = []
    for raw in raw_parameters:
        key, _, value = raw.partition("=")
        parameters.append((key.strip().lower(), value.strip().strip('"')))
    return MediaTypeName(
        parts[0].strip(), subtype.strip(), suffix.strip(), tuple(sorted(parameters))
    )


def contained(first: str, second: str) -> bool:
    """oasdiff's `IsMediaTypeNameContained`: `second` names `first` or a `+suffix` variant of it."""
    old, new = parse_media_type(first), parse_media_type(second)
    if old is None or new is None or old.type != new.type:
        return False
    if not old.suffix and new.suffix == old.subtype:
        return True
    return (old.subtype, old.suffix) == (new.subtype, new.suffix)


def is_json(name: str) -> bool:
    """JSON is typed on the wire (`1` is not `"1"`); oasdiff: `application/json` or `+json`."""
    parsed = parse_media_type(name)
    return parsed is not None and (
        (parsed.type, parsed.subtype) == ("application", "json") or parsed.suffix == "json"
    )


def rename_media_types(
    log: ChangeLog,
    pair: OperationPair,
    old_content: dict[str, Located],
    new_content: dict[str, Located],
    owner: str,
) -> dict[str, str]:
    """Pair media types only one side has when one contains the other; report each rename.

    Returns old name -> new name for the pairs, so their schemas are compared.
    """
    removed = sorted(old_content.keys() - new_content.keys())
    renamed: dict[str, str] = {}
    for added in sorted(new_content.keys() - old_content.keys()):
        match = next(
            (
                name
                for name in removed
                if name not in renamed and (contained(added, name) or contained(name, added))
            ),
            None,
        )
        if match is None:
            continue
        renamed[match] = added
        before, after = parse_media_type(match), parse_media_type(added)
        if before is not None and after is not None and before.parameters != after.parameters:
            verb = "changed"
        else:
            verb = "specialized" if contained(match, added) else "generalized"
        detail = f"{owner} media type {code(match)} renamed to {code(added)}"
        spot = new_spot(new_content[added][1])
        log.add(f"response-media-type-name-{verb}", pair.label, detail, spot)
    return renamed
