"""Coverage of oasdiff's rule list: which of its ids `invitegen diff` implements, at which level.

`tests/diff_specs/oasdiff_rules.txt` is oasdiff's `checker/rules.go` (ids and levels, Apache-2.0,
vendored with its licence note). Every id there must be in `RULES` at oasdiff's level, or be listed
with its reason in `OASDIFF_DIFFERENCES`; and `tests/test_diff_rules.py` makes sure each rule of
`RULES` is reported by an example pair, so an id counted here is one the differ really emits.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from generator.diff.compare import RULES
from generator.diff.rules import LEVELS, OASDIFF_DIFFERENCES

OASDIFF_RULES = Path(__file__).resolve().parent / "diff_specs" / "oasdiff_rules.txt"


@cache
def _oasdiff() -> tuple[tuple[str, str], ...]:
    rows = []
    for line in OASDIFF_RULES.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            rule_id, level = line.split()
            rows.append((rule_id, level))
    return tuple(rows)


def coverage() -> tuple[list[str], list[str], list[str]]:
    """oasdiff ids implemented at oasdiff's level, at another level, and not implemented."""
    same, other, missing = [], [], []
    for rule_id, level in _oasdiff():
        if rule_id not in RULES:
            missing.append(rule_id)
        elif RULES[rule_id].level.value == level:
            same.append(rule_id)
        else:
            other.append(f"{rule_id} (oasdiff {level}, here {RULES[rule_id].level.value})")
    return same, other, missing


def test_the_vendored_list_is_oasdiff_s_whole_rule_list() -> None:
    rows = _oasdiff()
    assert len(rows) == len({rule_id for rule_id, _ in rows}) >= 500
    assert {level for _, level in rows} == {level.value for level in LEVELS}
    assert "Apache License 2.0" in OASDIFF_RULES.read_text(encoding="utf-8")


def test_every_oasdiff_rule_is_implemented_at_its_level_or_explained() -> None:
    same, other, missing = coverage()
    unexplained = [
        entry for entry in [*other, *missing] if entry.split(" ")[0] not in OASDIFF_DIFFERENCES
    ]
    summary = (
        f"{len(same)} of {len(_oasdiff())} oasdiff rule ids at oasdiff's level; "
        f"other level: {other}; missing: {missing}"
    )
    assert not unexplained, summary
    print(summary)


def test_documented_differences_name_real_differences() -> None:
    same, _, _ = coverage()
    known = {rule_id for rule_id, _ in _oasdiff()}
    for rule_id in OASDIFF_DIFFERENCES:
        assert rule_id in known and rule_id not in same, rule_id
