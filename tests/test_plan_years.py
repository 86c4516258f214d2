"""Each year's plan prints its own text and its own priorities: the 2008-09 foreword
speaks of 2008-09, an edit for one year leaves the other's text alone, and a year with
no text of its own prints the region's template until its first edit copies it."""

from __future__ import annotations

import re
from pathlib import Path

from pdf_reading import layout_text, page_count

from dom_desk.cli import main
from dom_desk.domain.records import create_priority
from dom_desk.domain.region import ensure_year
from dom_desk.plan import export_plan
from dom_desk.plan.template import (
    CATALOGUE,
    SectionChoice,
    default_template,
    load_template,
    load_year_text,
    save_template,
    set_section_text,
)
from dom_desk.storage.workbook import open_workbook

SHORT = ("cover", "foreword", "priorities", "contacts")


def _pages(pdf: Path) -> list[str]:
    return [" ".join(layout_text(pdf, n).split()) for n in range(1, page_count(pdf) + 1)]


def _body(text: str) -> str:
    """A page's text without the running header, the draft marker and the footer."""
    text = text.replace("DRAFT - not for publication", "")
    text = re.sub(r"^.*?Regional Commissioning Plan \d{4}-\d{2}", "", text, count=1)
    return re.sub(r"Page \d+ of \d+.*$", "", text).strip()


def _section(pdf: Path, title: str) -> str:
    """A section's text: from the page it starts on to the page the next one starts."""
    starts = tuple(spec.title for spec in CATALOGUE)
    bodies = [_body(t) for t in _pages(pdf)]
    first = next((i for i, b in enumerate(bodies) if b.startswith(title)), None)
    assert first is not None, f"no page starts with {title!r}"
    found = [bodies[first]]
    for body in bodies[first + 1 :]:
        if body.startswith(starts):
            break
        found.append(body)
    return " ".join(found)


def _short(wb, year: str) -> None:
    """The year's own sections cut down to a quick plan, keeping their text."""
    sections = load_template(wb, year)
    save_template(
        wb, [SectionChoice(s.key, s.key in SHORT, s.title, s.body) for s in sections], year
    )


def test_the_2008_09_plan_speaks_of_2008_09_with_its_own_priorities(demo, tmp_path) -> None:
    for year in ("2008-09", "2009-10"):
        _short(demo, year)
        export_plan(demo, year, tmp_path / f"{year}.pdf")
    earlier = _section(tmp_path / "2008-09.pdf", "Foreword")
    later = _section(tmp_path / "2009-10.pdf", "Foreword")
    assert "services in 2008-09" in earlier and "2009-10" not in earlier
    assert "services in 2009-10" in later and "2008-09" not in later

    early_priorities = _section(tmp_path / "2008-09.pdf", "Strategic priorities")
    assert "4. Drugs and alcohol" in early_priorities
    assert "Women offenders" not in early_priorities
    assert "5. Women offenders" in _section(tmp_path / "2009-10.pdf", "Strategic priorities")


def test_an_edit_for_one_year_leaves_the_other_years_text_alone(demo, tmp_path) -> None:
    earlier, template = load_template(demo, "2008-09"), load_template(demo)
    set_section_text(demo, "2009-10", "foreword", "A new foreword for 2009-10 alone.")
    assert load_template(demo, "2008-09") == earlier
    assert load_template(demo) == template
    _short(demo, "2008-09")
    export_plan(demo, "2008-09", tmp_path / "plan.pdf")
    foreword = _section(tmp_path / "plan.pdf", "Foreword")
    assert "A new foreword" not in foreword and "services in 2008-09" in foreword


def test_a_year_prints_the_template_until_its_first_edit_copies_it(workbook, tmp_path) -> None:
    with workbook.session() as session:
        ensure_year(session, "2010-11")
    template = [
        SectionChoice(s.key, s.key in SHORT, s.title, f"Template {s.key}.")
        for s in default_template()
    ]
    save_template(workbook, template)
    assert not load_year_text(workbook, "2010-11").own
    assert load_template(workbook, "2010-11") == template
    export_plan(workbook, "2010-11", tmp_path / "before.pdf")
    assert "Template foreword." in _section(tmp_path / "before.pdf", "Foreword")

    set_section_text(workbook, "2010-11", "foreword", "The 2010-11 foreword.")
    own = load_year_text(workbook, "2010-11")
    assert own.own
    # The first write copied the template's other sections, choices and order with it.
    assert [s for s in own.sections if s.key != "foreword"] == [
        s for s in template if s.key != "foreword"
    ]
    assert load_template(workbook) == template  # the template itself is untouched
    assert load_template(workbook, "2009-10") == template  # so is another year on it
    export_plan(workbook, "2010-11", tmp_path / "after.pdf")
    assert "The 2010-11 foreword." in _section(tmp_path / "after.pdf", "Foreword")


def test_a_new_wales_workbook_prints_its_own_priorities(tmp_path, capsys) -> None:
    db = tmp_path / "wales.domdesk"
    assert main(["new", "--region", "Wales", "--year", "2009-10", str(db)]) == 0
    wb = open_workbook(db)
    try:
        for title, rationale in (
            ("Protect the public", "Keep secure those who present the greatest risk."),
            ("Reduce re-offending in Wales", "With the Welsh Government's partners."),
        ):
            create_priority(wb, title, year_label="2009-10", rationale=rationale)
    finally:
        wb.close()
    capsys.readouterr()
    assert main(["priorities", "--db", str(db)]) == 0
    assert "2. Reduce re-offending in Wales" in capsys.readouterr().out
    pdf = tmp_path / "plan.pdf"
    assert main(["plan", "--db", str(db), "--year", "2009-10", "-o", str(pdf), "--quiet"]) == 0
    printed = _section(pdf, "Strategic priorities")
    assert "1. Protect the public" in printed
    assert "2. Reduce re-offending in Wales" in printed
    assert "With the Welsh Government's partners." in printed
    whole = " ".join(_pages(pdf))
    assert "Wales Regional Commissioning Plan 2009-10" in whole
    assert "North West" not in whole
