"""The shipped measure frameworks: each loads, matches the seed it was transcribed from
line by line, and a malformed framework file is refused in one sentence naming it.

The seeds (the five source documents) sit beside the clone in ``shared/seeds``; the
comparisons with them are skipped, saying so, only when that folder is absent. Seed text
is compared after normalising whitespace and the HTML markup some seeds carry (``<li>``,
``&amp;``): nothing else.
"""

from __future__ import annotations

import html
import json
import re
from decimal import Decimal
from pathlib import Path

import pytest

from dom_desk.models import Direction, Guidance, MeasureUnit, Scope
from dom_desk.readers import frameworks
from dom_desk.readers.frameworks import (
    Framework,
    FrameworkFileError,
    find_framework,
    read_framework,
    shipped_frameworks,
)

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"
#: Which seed each shipped file was transcribed from.
SEED_OF = {
    "noms-kpis-2009-10": "000",
    "nps-targets-2005-06": "001",
    "delivery-requirements-2014-15": "002",
    "national-targets-2007-08": "003",
    "hmpps-kpis-2018-19": "004",
}
NUMBER_WORDS = {"one": 1, "two": 2, "five": 5, "eight": 8, "nine": 9, "ten": 10}

needs_seeds = pytest.mark.skipif(
    not SEEDS.is_dir(), reason=f"the seed documents are not beside the clone ({SEEDS})"
)


def norm(text: str) -> str:
    """Seed or data text with markup and whitespace normalised, nothing else."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", text)).split())


def seed_text(stem: str) -> str:
    (path,) = SEEDS.glob(f"{SEED_OF[stem]}_*.txt")
    return path.read_text(encoding="utf-8")


def between(text: str, start: str, end: str) -> str:
    """The part of a seed from the heading ``start`` to the next ``end``."""
    begin = text.index(start)
    return text[begin : text.index(end, begin)]


def shipped(stem: str) -> Framework:
    return read_framework(frameworks.framework_dir() / f"{stem}.json")


def by_code(framework: Framework) -> dict:
    return {m.code: m for m in framework.measures}


# --- every file loads and speaks the app's vocabulary --------------------------------


def test_every_shipped_framework_loads_with_a_source_and_year():
    loaded = shipped_frameworks()
    assert {f.path.stem for f in loaded} == set(SEED_OF)
    for framework in loaded:
        assert framework.source and framework.measures
        assert re.fullmatch(r"\d{4}-\d{2}", framework.year)
    assert [f.year for f in loaded] == sorted(f.year for f in loaded)


def test_the_readers_labels_are_the_models_labels():
    assert set(frameworks.UNITS) == {u.value for u in MeasureUnit}
    assert set(frameworks.DIRECTIONS) == {d.value for d in Direction}
    assert set(frameworks.SCOPES) == {s.value for s in Scope}
    assert set(frameworks.GUIDANCE) == {g.value for g in Guidance}


def test_a_framework_is_found_by_file_name_or_by_name():
    assert find_framework("NPS-targets-2005-06").year == "2005-06"
    assert find_framework("noms agency key performance indicators 2009-10").year == "2009-10"
    with pytest.raises(FrameworkFileError, match="no shipped framework 'PT 99'"):
        find_framework("PT 99")
    # A DOM names the plan, not its file: every word found picks the one framework...
    assert find_framework("NOMS 2009-10").path.stem == "noms-kpis-2009-10"
    assert find_framework("hmpps KPIs").year == "2018-19"
    # ...and words that fit several are refused with the ones they fit, never guessed.
    with pytest.raises(FrameworkFileError, match="Several .* 'NOMS'.*noms-kpis-2009-10"):
        find_framework("NOMS")


# --- line by line against the seeds ---------------------------------------------------


@needs_seeds
@pytest.mark.parametrize("stem", sorted(SEED_OF))
def test_every_printed_text_occurs_verbatim_in_its_seed(stem):
    seed = norm(seed_text(stem))
    for measure in shipped(stem).measures:
        texts = [measure.wording, *measure.other_wording, *(p.wording for p in measure.parts)]
        texts += [measure.outcome, measure.driver, measure.area, measure.guidance_printed]
        for text in filter(None, texts):
            assert norm(text) in seed, f"{measure.code}: {text!r} is not in seed {stem}"


@pytest.mark.parametrize("stem", sorted(SEED_OF))
def test_no_value_is_invented(stem):
    """A value is one the wording prints (as figure or word), unless marked inferred."""
    for measure in shipped(stem).measures:
        printed = norm(" ".join([measure.wording, measure.guidance_printed or ""]))
        figures = {Decimal(f.replace(",", "")) for f in re.findall(r"\d[\d,]*(?:\.\d+)?", printed)}
        figures |= {Decimal(n) for w, n in NUMBER_WORDS.items() if f" {w} " in f" {printed} "}
        values = [measure.national_value, *(p.national_value for p in measure.parts)]
        for value in filter(lambda v: v is not None, values):
            assert value in figures or "national_value" in measure.inferred, measure.code


@needs_seeds
def test_nps_2005_06_has_the_annexs_targets_measures_and_weights():
    annex = between(
        seed_text("nps-targets-2005-06"), "NPS Performance Targets and Measures 2005-06", "Annex C"
    )
    rows = re.findall(r"Performance (Target|Measure) (\d+) ([^\t\n]+)\t(.+)", annex)
    framework = shipped("nps-targets-2005-06")
    measures = by_code(framework)
    assert sorted(measures) == sorted(f"P{kind[0]} {n}" for kind, n, _, _ in rows)
    assert sum(kind == "Target" for kind, *_ in rows) == 15
    assert sum(kind == "Measure" for kind, *_ in rows) == 8
    printed_total = 0
    for kind, number, wording, status in rows:
        measure = measures[f"P{kind[0]} {number}"]
        assert norm(measure.wording) == norm(wording)
        parts = dict(re.findall(r"\((\w)\) (Not in Weighted Scorecard|Weighting = \d+)", status))
        weights = {f"({s})": re.findall(r"\d+", w) for s, w in parts.items()}
        if weights:
            got = {p.suffix: p.weight for p in measure.parts}
            assert got == {s: int(w[0]) if w else None for s, w in weights.items()}
        else:
            own = re.findall(r"Weighting = (\d+)", status)
            assert measure.weight == (int(own[0]) if own else None), measure.code
        printed_total += sum(int(w) for w in re.findall(r"Weighting = (\d+)", status))
    assert framework.total_weight == printed_total == 100  # the scorecard is out of 100


@needs_seeds
def test_national_targets_2007_08_are_the_28_of_section_4_3():
    section = between(seed_text("national-targets-2007-08"), "## 4.3.", "## 5.")
    rows = dict(re.findall(r"^(Target \d+)\t(.+)$", section, flags=re.M))
    framework = shipped("national-targets-2007-08")
    assert len(rows) == len(framework.measures) == 28
    for measure in framework.measures:
        assert norm(measure.wording) in norm(rows[measure.code])
    target20 = by_code(framework)["Target 20"]
    assert [p.suffix for p in target20.parts] == ["(a)", "(b)", "(c)"]


@needs_seeds
def test_noms_2009_10_kpis_are_the_tables_rows_with_notes_and_guidance():
    table = between(seed_text("noms-kpis-2009-10"), "Indicator\tNotes\tTarget Guidance", "Annexes")
    rows = [line.split("\t") for line in table.splitlines()[1:] if line.strip()]
    framework = shipped("noms-kpis-2009-10")
    assert len(rows) == len(framework.measures) == 13
    for (indicator, notes, guidance), measure in zip(rows, framework.measures, strict=True):
        assert (measure.wording, measure.notes) == (indicator, notes)
        assert measure.guidance_printed == guidance
        assert measure.guidance in (guidance, None) or guidance.startswith(measure.guidance)
    assert "will no longer be reported as national KPIs" in framework.notes


@needs_seeds
def test_delivery_requirements_2014_15_keep_each_outcome_and_driver():
    annex = between(
        seed_text("delivery-requirements-2014-15"),
        "\nC. Delivery Requirements for 2014-15\n",
        "\nD. NOMS Commissioning Intentions",
    )
    pattern = r"^((?:OM|INT) \d{3}|C[UR]\d{3}a?)(?: ³⁹)?\t([^\t\n]+)\t([^\t\n]+)\t([^\t\n]+)$"
    rows = re.findall(pattern, annex, flags=re.M)
    framework = shipped("delivery-requirements-2014-15")
    assert len(rows) == len(framework.measures)
    measures = by_code(framework)
    for code, outcome, wording, driver in rows:
        measure = measures[code]
        assert (measure.outcome, measure.wording, measure.driver) == (outcome, wording, driver)
    assert {m.code for m in framework.measures if m.parts} == {"OM 041"}


@needs_seeds
def test_hmpps_2018_19_kpis_are_the_annexs_list_in_order():
    annex = between(
        seed_text("hmpps-kpis-2018-19"), "## Key Performance Indicators 2018-19", "\n\n\n\n"
    )
    items = [norm(i).lstrip("• ") for i in re.findall(r"<li>(.*?)</li>", annex)]
    framework = shipped("hmpps-kpis-2018-19")
    assert [norm(m.wording) for m in framework.measures] == items
    assert not any(m.code_printed for m in framework.measures)


def test_multi_part_targets_are_parts_of_one_measure():
    pt9 = by_code(shipped("nps-targets-2005-06"))["PT 9"]
    assert [(p.suffix, p.national_value) for p in pt9.parts] == [
        ("(a)", Decimal(40000)),
        ("(b)", Decimal(8033)),
    ]
    target9 = by_code(shipped("national-targets-2007-08"))["Target 9"]
    assert [p.unit for p in target9.parts] == ["days", "%"]
    for framework in shipped_frameworks():
        for measure in framework.measures:
            for part in measure.parts:
                assert norm(part.wording) in norm(measure.wording), (measure.code, part.suffix)


# --- a malformed file is refused, naming the file and the entry -----------------------

GOOD = {
    "name": "Test framework",
    "year": "2009-10",
    "source": "A test",
    "measures": [
        {"code": "PT 1", "wording": "First", "unit": "%"},
        {"code": "PT 2", "wording": "Second", "unit": "count", "weight": 10},
    ],
}


def write(tmp_path: Path, data: object, name: str = "region.json") -> Path:
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    return path


def refusal(path: Path) -> str:
    with pytest.raises(FrameworkFileError) as caught:
        read_framework(path)
    message = str(caught.value)
    assert message.startswith(path.name) and message.endswith(".") and "\n" not in message
    return message


#: A change that removes the field.
GONE = object()


def with_measure(changes: dict) -> dict:
    """GOOD with its second measure changed."""
    data = json.loads(json.dumps(GOOD))
    second = data["measures"][1]
    second.update(changes)
    for field in [f for f, v in changes.items() if v is GONE]:
        del second[field]
    return data


def test_a_good_file_reads_into_plain_frozen_values(tmp_path):
    framework = read_framework(write(tmp_path, GOOD))
    assert [m.code for m in framework.measures] == ["PT 1", "PT 2"]
    assert framework.total_weight == 10
    with pytest.raises(AttributeError):
        framework.measures[0].code = "PT 9"  # type: ignore[misc]


def test_bad_json_is_refused_with_its_position(tmp_path):
    message = refusal(write(tmp_path, '{"name": "x",\n  "year": }'))
    assert "is not valid JSON" in message and "line 2" in message
    assert "region.json is not a JSON object" in refusal(write(tmp_path, "[1, 2]"))


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"wording": GONE}, "measure 2 (PT 2), field 'wording': is missing"),
        ({"unit": GONE}, "measure 2 (PT 2), field 'unit': is missing"),
        ({"code": GONE}, "measure 2, field 'code': is missing"),
        ({"unit": "percent"}, "measure 2 (PT 2), field 'unit': 'percent' is not one of %"),
        ({"code": "pt1"}, "measure 2: code 'pt1' is already used by measure 1"),
        ({"weight": 2.5}, "measure 2 (PT 2), field 'weight': must be a whole number"),
        ({"national_value": "90"}, "measure 2 (PT 2), field 'national_value': must be a number"),
        ({"direction": "up"}, "field 'direction': 'up' is not one of Higher is better"),
        ({"wordng": "typo"}, "measure 2 (PT 2) has an unknown field 'wordng'"),
        ({"parts": [{"suffix": "(a)", "wording": "x"}]}, "field 'parts': a multi-part"),
        (
            {"parts": [{"suffix": "(a)", "wording": "x"}, {"suffix": "(a)", "wording": "y"}]},
            "measure 2 (PT 2), part 2, field 'suffix': '(a)' is already used",
        ),
        ({"inferred": ["colour"]}, "field 'inferred': 'colour' is not one of"),
        ({"reported_by_providers": "no"}, "field 'reported_by_providers': must be true or false"),
    ],
)
def test_a_bad_measure_is_refused_naming_the_entry_and_field(tmp_path, changes, expected):
    assert expected in refusal(write(tmp_path, with_measure(changes)))


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"year": "2009-11"}, "field 'year': '2009-11' is not a financial year"),
        ({"measures": []}, "field 'measures': lists no measures"),
        ({"source": " "}, "field 'source': is empty"),
        ({"measures": [["PT 1"]]}, "region.json, measure 1 is not a JSON object"),
    ],
)
def test_a_bad_framework_is_refused_naming_the_field(tmp_path, changes, expected):
    assert expected in refusal(write(tmp_path, {**GOOD, **changes}))


def test_reoffending_measured_nationally_is_not_asked_of_providers():
    """PSA 23 and the proven re-offending rates come from national statistics: a provider
    is never sent them in a return or offered a target for them."""
    noms = {m.code: m for m in find_framework("NOMS 2009-10").measures}
    hmpps = {m.code: m for m in find_framework("HMPPS KPIs 2018-19").measures}
    assert noms["KPI 1"].reported_by_providers is False
    assert hmpps["HMPPS KPI 1"].reported_by_providers is False
    assert "reported_by_providers" in noms["KPI 1"].inferred
    # Left out, a framework says nothing: the workbook's own value is kept.
    assert noms["KPI 2"].reported_by_providers is None
