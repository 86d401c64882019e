"""The bundled examples: complete, valid dossiers — the demo and the fixtures of later work."""

from __future__ import annotations

import json

import pytest

from dossier.cli import main
from dossier.completeness import empty_fields
from dossier.loader import load_dossier

from .conftest import EXAMPLES, ROOT, SCHEME_IDS


@pytest.fixture(params=SCHEME_IDS)
def example(request):
    return load_dossier(EXAMPLES / request.param)


def test_every_scheme_has_an_example():
    assert sorted(p.name for p in EXAMPLES.iterdir() if (p / "dossier.yaml").exists()) == sorted(SCHEME_IDS)


def test_example_validates_from_the_cli(runner, example):
    result = runner.invoke(main, ["validate", str(example.directory), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["valid"] and data["scheme"] == example.scheme.id
    assert data["warnings"] == []  # the credit code passes its check digit


def test_example_answers_every_condition_and_indicator(example):
    dossier, scheme = example.dossier, example.scheme
    assert set(dossier.basic_conditions) == {b.id for b in scheme.basic_conditions}
    if scheme.subject == "factory":
        assert set(dossier.indicators) == {i.id for i in scheme.indicators}
    else:  # a park's indicators are its yearly 绿色指数 data
        for year in dossier.window:
            assert set(dossier.years[year].green_index) == {i.id for i in scheme.indicators}
    assert {q.id for q in scheme.compliance_questions} <= set(dossier.compliance)
    assert {n.id for n in scheme.narratives} <= set(dossier.narratives)


def test_example_has_three_years_of_figures(example):
    dossier = example.dossier
    assert dossier.reporting_year == 2026
    for year in dossier.window:
        data = dossier.years[year]
        assert data.output_value and data.value_added and data.energy_total_tce
        assert data.value_added < data.output_value


def test_example_is_complete(example):
    missing = [path for path, _ in empty_fields(example.dossier, example.scheme)]
    assert missing == []


def test_example_evidence_references_exist(example):
    refs = []
    dossier = example.dossier
    for section in (dossier.basic_conditions, dossier.indicators, dossier.bonus):
        for answer in section.values():
            refs += answer.evidence
    for year in dossier.years.values():
        for files in year.evidence.values():
            refs += files
    assert refs, "an example cites its evidence"
    missing = [ref for ref in refs if not (example.directory / ref).is_file()]
    assert missing == []


def test_example_evidence_folders_follow_the_scheme(example):
    folders = {p.name for p in (example.directory / "evidence").iterdir() if p.is_dir()}
    assert {item.folder for item in example.scheme.evidence_list} <= folders


def test_readme_lists_every_scheme_and_form():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    from dossier.schemes import all_schemes

    for scheme in all_schemes():
        assert f"`{scheme.id}`" in readme
        for form in scheme.forms:
            assert f"`{form.id}`" in readme
