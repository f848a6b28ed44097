"""The rule table as Markdown: `RULES` -> `docs/diff-rules.md` (a test keeps the file in sync).

`python -m generator.diff.ruledoc > docs/diff-rules.md` rewrites it.
"""

from __future__ import annotations

import sys

from generator.diff.rules import (
    BEHAVIOUR_NOTES,
    CLIENT_RULES,
    OASDIFF_DIFFERENCES,
    PREFIX_OVERRIDES,
    READ_ONLY_PREFIX,
    RENAMED_SCHEMA_RULES,
    REQUEST_PREFIXES,
    RESPONSE_PREFIXES,
    RULES,
    SCHEMA_RULES,
    WRITE_ONLY_PREFIX,
    Category,
)

_PREAMBLE = """\
# `invitegen diff` rules

Generated from `generator/diff/rules.py` by `python -m generator.diff.ruledoc`; do not edit.
Levels are oasdiff's: **ERR** breaks existing clients, **WARN** may break them, **INFO** does not.
Ids and levels are oasdiff's (`checker/rules.go`) wherever oasdiff has the rule; rules marked
*invitegen* are ours. Every rule has an example pair under `tests/diff_specs/`
(`cases.yaml`, or `schema_cases.yaml` placed at every schema position), run by the tests.

`invitegen diff --fail-on ERR` (or `--fail-on-breaking`) exits 1 on an ERR change,
`--fail-on WARN` on WARN or ERR; `--categories api` leaves out the generated-client rules.

**Deprecation policy** (oasdiff's `--deprecation-days-stable` and `--deprecation-days-beta`;
`DiffPolicy` in `generator.diff.compare`, 0 days by default as in oasdiff): a newly deprecated
operation, parameter or property of a `stable` (or unlabelled) or `beta` operation must carry an
`x-sunset` date at least that many days ahead, else `*-deprecated-sunset-missing` or
`*-sunset-date-too-small` (ERR); `draft` and `alpha` operations need none. With 0 days a missing
sunset is fine and only a sunset already past is refused. Sunset dates are read as `YYYY-MM-DD`
or an RFC 3339 date-time.
"""


def _escape(text: str) -> str:
    return text.replace("|", "\\|")


def _schema_section() -> list[str]:
    lines = [
        "## Schema rules",
        "",
        "A schema change is reported as `<prefix>-<suffix>`. Request prefixes: "
        + ", ".join(f"`{prefix}`" for prefix in REQUEST_PREFIXES)
        + "; response prefixes: "
        + ", ".join(f"`{prefix}`" for prefix in RESPONSE_PREFIXES)
        + " (`*-property` below the root, `request-parameter` and `response-header` at a "
        "parameter's or header's schema). A narrowed request type is `type-changed`. Under a "
        f"readOnly property in a request (`{READ_ONLY_PREFIX}-*`) or a writeOnly property in a "
        f"response (`{WRITE_ONLY_PREFIX}-*`) every change is INFO.",
        "",
        "| suffix | request | response | meaning |",
        "|---|---|---|---|",
    ]
    for suffix, (request, response, summary) in SCHEMA_RULES.items():
        lines.append(f"| `{suffix}` | {request.value} | {response.value} | {_escape(summary)} |")
    lines.extend(["", "Exceptions to the table (oasdiff's):", ""])
    lines.extend(f"- `{rule_id}`: {level.value}" for rule_id, level in PREFIX_OVERRIDES.items())
    lines.extend(
        f"- `{rule_id}` is spelled `{spelling}`"
        for rule_id, spelling in RENAMED_SCHEMA_RULES.items()
    )
    lines.extend(
        [
            "- `type-changed` where values travel as text (a response header, a body that is "
            "not JSON) is `type-compatible` when the request's new type or the response's old "
            "type is string; in a parameter it is `type-generalized`.",
            "- A pattern changed to `.*` is `pattern-generalized`.",
            "- A `format` set, removed or changed is a type change, as in oasdiff: in a request "
            "`type-generalized` when the new format accepts every old value (`date` -> "
            "`date-time`, `int32` -> `int64`, `float` -> `double`, format removed), else "
            "`type-changed`; in a response `type-specialized` when the old format accepts every "
            "new value, else `type-changed`.",
            "- In an object parameter (`request-parameter-property-*`) a type change that breaks "
            "every serialisation is `type-specialized` (ERR); one that only breaks JSON-typed "
            "ones (to string) is `type-changed` (WARN), as in oasdiff.",
        ]
    )
    return lines


def _oasdiff_section() -> list[str]:
    lines = [
        "## Differences from oasdiff",
        "",
        "Every rule id of oasdiff's `checker/rules.go` (the list is vendored in "
        "`tests/diff_specs/oasdiff_rules.txt`; a test compares it with this table) is here at "
        "oasdiff's level" + (", except:" if OASDIFF_DIFFERENCES else "."),
        "",
    ]
    lines.extend(f"- `{rule_id}`: {reason}" for rule_id, reason in OASDIFF_DIFFERENCES.items())
    if OASDIFF_DIFFERENCES:
        lines.append("")
    lines.append("The same change reported differently:")
    lines.append("")
    lines.extend(f"- {note}" for note in BEHAVIOUR_NOTES)
    return lines


def _index_section() -> list[str]:
    lines = [
        "## Every rule",
        "",
        "| rule | level | category | meaning |",
        "|---|---|---|---|",
    ]
    for rule in RULES.values():
        lines.append(
            f"| `{rule.id}` | {rule.level.value} | {rule.category.value} | {_escape(rule.summary)} |"
        )
    return lines


def render_rule_table() -> str:
    """The whole document."""
    client = [
        "## Generated-client rules",
        "",
        "These changes keep the wire contract (or break it less than ERR) but break code written "
        "against the generated client; they are reported in their own category "
        f"(`{Category.CLIENT.value}`) next to oasdiff's rule for the same change.",
        "",
        "| rule | level | meaning |",
        "|---|---|---|",
        *(
            f"| `{rule_id}` | {level.value} | {_escape(summary)} |"
            for rule_id, (level, summary) in CLIENT_RULES.items()
        ),
    ]
    sections = [
        _PREAMBLE.rstrip("\n"),
        "\n".join(client),
        "\n".join(_schema_section()),
        "\n".join(_oasdiff_section()),
    ]
    sections.append("\n".join(_index_section()))
    return "\n\n".join(sections) + "\n"


if __name__ == "__main__":
    sys.stdout.write(render_rule_table())
