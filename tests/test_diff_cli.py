"""`invitegen diff` and the breaking-change gate of `invitegen generate`, through the command line."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml

from generator.cli import main
from generator.output.writer import read_tree
from tests.conftest import SPEC


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of the spec in a scratch project, with generated/ built from it."""
    (tmp_path / "spec").mkdir()
    shutil.copy(SPEC, tmp_path / "spec" / SPEC.name)
    shutil.copy(SPEC, tmp_path / "previous.yaml")
    spec, out = tmp_path / "spec" / SPEC.name, tmp_path / "generated"
    assert main(["generate", "--spec", str(spec), "--out", str(out), "--previous", "none"]) == 0
    return tmp_path


def _edit(spec: Path, old: str, new: str) -> None:
    text = spec.read_text()
    assert text.count(old) >= 1, old
    spec.write_text(text.replace(old, new, 1))


def _generate(project: Path, *extra: str) -> int:
    spec, out = project / "spec" / SPEC.name, project / "generated"
    return main(
        [
            "generate",
            "--spec",
            str(spec),
            "--out",
            str(out),
            "--previous",
            str(project / "previous.yaml"),
            *extra,
        ]
    )


def test_breaking_edit_without_major_bump_is_refused_and_leaves_output(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = read_tree(project / "generated")
    _edit(project / "spec" / SPEC.name, "maxLength: 2000", "maxLength: 1000")
    assert _generate(project) == 1
    err = capsys.readouterr().err
    assert "max-length-decreased" in err and "--allow-breaking" in err
    assert read_tree(project / "generated") == before


def test_major_bump_allows_breaking_edit_and_appends_changelog(project: Path) -> None:
    spec = project / "spec" / SPEC.name
    _edit(spec, "maxLength: 2000", "maxLength: 1000")
    _edit(spec, "version: 1.2.0", "version: 2.0.0")
    assert _generate(project) == 0
    changelog = (project / "generated" / "CHANGELOG.md").read_text()
    assert "2.0.0" in changelog and "max-length-decreased" in changelog
    assert '"2.0.0+invitegen.' in (project / "generated" / "pyproject.toml").read_text()


def test_allow_breaking_overrides_the_gate(project: Path) -> None:
    _edit(project / "spec" / SPEC.name, "maxLength: 2000", "maxLength: 1000")
    assert _generate(project, "--allow-breaking") == 0


def test_diff_command_formats_and_exit_codes(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = project / "spec" / SPEC.name
    _edit(spec, "maxLength: 2000", "maxLength: 1000")
    previous = str(project / "previous.yaml")
    assert main(["diff", previous, str(spec)]) == 0
    assert main(["diff", previous, str(spec), "--fail-on-breaking"]) == 1
    capsys.readouterr()
    assert main(["diff", previous, str(spec), "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert "request-property-max-length-decreased" in json.dumps(report)
    assert main(["diff", previous, str(previous)]) == 0


def test_report_formats_levels_and_categories_offered_are_the_engine_s() -> None:
    """The command line names them without importing the diff engine (start-up time)."""
    from generator.cli import CATEGORIES, FAIL_LEVELS, REPORT_FORMATS
    from generator.diff.compare import RENDERERS, Category, Level

    assert sorted(RENDERERS) == list(REPORT_FORMATS)
    assert [level.value for level in Level if level is not Level.INFO] == list(FAIL_LEVELS)
    assert [category.value for category in Category] == list(CATEGORIES)


def test_fail_on_levels_and_categories(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    spec = project / "spec" / SPEC.name
    previous = str(project / "previous.yaml")
    # A renamed operationId: INFO for the API (oasdiff), ERR for the generated client.
    _edit(spec, "operationId: drive_items_invite", "operationId: drive_items_share")
    assert main(["diff", previous, str(spec), "--fail-on", "ERR"]) == 1
    assert main(["diff", previous, str(spec), "--fail-on-breaking"]) == 1
    assert main(["diff", previous, str(spec), "--fail-on", "ERR", "--categories", "api"]) == 0
    assert main(["diff", previous, str(spec), "--fail-on", "WARN", "--categories", "api"]) == 0
    capsys.readouterr()
    assert main(["diff", previous, str(spec), "--format", "yaml", "--categories", "api"]) == 0
    document = yaml.safe_load(capsys.readouterr().out)
    assert {change["rule"] for change in document["changes"]} == {"api-operation-id-removed"}
    with pytest.raises(SystemExit):
        main(["diff", previous, str(spec), "--categories", "api,nope"])
    assert "unknown category 'nope'" in capsys.readouterr().err


def test_warn_fails_only_with_fail_on_warn(project: Path) -> None:
    spec = project / "spec" / SPEC.name
    previous = str(project / "previous.yaml")
    # maxLength set where there was none on a request property: WARN in oasdiff.
    _edit(spec, "          format: email\n", "          format: email\n          maxLength: 300\n")
    assert main(["diff", previous, str(spec), "--fail-on", "ERR"]) == 0
    assert main(["diff", previous, str(spec), "--fail-on", "WARN"]) == 1


def test_deprecation_days_ask_for_a_sunset_far_enough_ahead(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = project / "spec" / SPEC.name
    previous = str(project / "previous.yaml")
    # Deprecated without an x-sunset: fine by default (0 days, as oasdiff), ERR once days are asked.
    _edit(
        spec,
        "      operationId: drive_items_invite\n",
        "      operationId: drive_items_invite\n      deprecated: true\n",
    )
    assert main(["diff", previous, str(spec), "--fail-on", "ERR"]) == 0
    capsys.readouterr()
    days = ["--deprecation-days-stable", "30"]
    assert main(["diff", previous, str(spec), "--fail-on", "ERR", *days]) == 1
    assert "api-deprecated-sunset-missing" in capsys.readouterr().out
    # The beta policy does not apply to a stable (unlabelled) operation.
    assert (
        main(["diff", previous, str(spec), "--fail-on", "ERR", "--deprecation-days-beta", "30"])
        == 0
    )
    capsys.readouterr()
    for bad in ("-1", "30.5", "many", "٣"):
        with pytest.raises(SystemExit):
            main(["diff", previous, str(spec), "--deprecation-days-stable", bad])
        assert "whole number of days" in capsys.readouterr().err


def test_a_refused_spec_says_the_specs_were_not_compared(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    swagger = tmp_path / "swagger.yaml"
    swagger.write_text('swagger: "2.0"\ninfo: {title: t, version: "1"}\npaths: {}\n')
    assert main(["diff", str(swagger), str(SPEC)]) == 1
    err = capsys.readouterr().err
    assert "swagger.yaml:1:10: #/swagger: Swagger '2.0' is not supported" in err
    assert err.rstrip().endswith("invitegen: 1 error; the specs were not compared")
