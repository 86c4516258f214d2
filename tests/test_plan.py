"""The commissioning plan PDF, read back as a reader would: its text, page by page."""

from __future__ import annotations

import hashlib
import re
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from pdf_reading import Drawn, drawn, layout_text, page_count, raw_text
from sqlalchemy import select

from dom_desk.cli import main
from dom_desk.domain.allocations import position_in
from dom_desk.domain.money import format_pounds
from dom_desk.domain.overview import allocation_totals_in
from dom_desk.domain.region import ensure_year, year_by_label
from dom_desk.errors import ValidationError
from dom_desk.models import (
    Agreement,
    AgreementKind,
    AgreementStatus,
    Allocation,
    Competition,
    Guidance,
    Level,
    Measure,
    MeasureUnit,
    PlanExport,
    Priority,
    Provider,
    ProviderKind,
    Risk,
    Sector,
    Target,
)
from dom_desk.plan import export_plan, load_template, save_template
from dom_desk.plan.markup import inline, parse, plain
from dom_desk.plan.template import SPECS, SectionChoice, default_template
from dom_desk.storage.workbook import open_workbook

HOSTILE = "St Giles' Trust <North> & Co"


# -- reading a PDF back (with pypdf: see pdf_reading) -----------------------------------------


def page_text(pdf: Path, page: int, mode: str = "layout") -> str:
    """One page's text: "layout" keeps table rows as rows; "raw" keeps the order it was
    drawn in, so a cell's wrapped lines stay together."""
    return (layout_text if mode == "layout" else raw_text)(pdf, page)


def pages(pdf: Path, mode: str = "layout") -> list[str]:
    """Each page's text, whitespace collapsed; pages[0] is page 1."""
    return [" ".join(page_text(pdf, n, mode).split()) for n in range(1, page_count(pdf) + 1)]


def first_page_with(texts: list[str], words: str) -> int:
    """1-based number of the first page whose text holds ``words``."""
    return next(i for i, t in enumerate(texts, start=1) if words in t)


def section_title_pages(texts: list[str], titles: list[str]) -> list[int]:
    """Where each section starts: its title is the first line of the page's body."""
    found = []
    for title in titles:
        starts = [i for i, t in enumerate(texts, start=1) if _body(t).startswith(title)]
        found.append(starts[0] if starts else 0)
    return found


def _body(text: str) -> str:
    """A page's text after the running header and the draft marker."""
    text = text.replace("DRAFT - not for publication", "")
    text = re.sub(r"^.*?Regional Commissioning Plan \d{4}-\d{2}", "", text, count=1)
    return text.strip()


# -- fixtures -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def demo_plan(demo_file: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """One final demo plan (no watermark across the text), exported once for the tests
    that only read it."""
    folder = tmp_path_factory.mktemp("demo_plan")
    copy = folder / "demo.domdesk"
    shutil.copyfile(demo_file, copy)
    wb = open_workbook(copy)
    try:
        export_plan(wb, "2009-10", folder / "plan.pdf", final=True)
    finally:
        wb.close()
    return copy, folder / "plan.pdf"


def only(wb, *keys: str, year: str = "2009-10") -> None:
    """Saves the year's plan with just these sections (a short plan is quick to export)."""
    save_template(
        wb,
        [SectionChoice(s.key, s.key in keys, s.title, s.body) for s in default_template()],
        year,
    )


def _provider(session, name: str, kind=ProviderKind.VCS, sector=Sector.THIRD) -> Provider:
    provider = Provider(name=name, kind=kind, sector=sector)
    session.add(provider)
    return provider


def _agreement(session, provider: Provider, year, title: str, value: int) -> Agreement:
    agreement = Agreement(
        provider=provider,
        kind=AgreementKind.SLA,
        title=title,
        year=year,
        status=AgreementStatus.AGREED,
        annual_value=value,
    )
    session.add(agreement)
    session.add(
        Allocation(
            year=year, agreement=agreement, baseline=value, provisional=value + 50, agreed=value + 1
        )
    )
    return agreement


@pytest.fixture
def hostile(workbook):
    """A small region whose user-typed text is full of markup characters."""
    with workbook.session() as session:
        year = year_by_label(session, "2009-10")
        ensure_year(session, "2008-09")
        provider = _provider(session, HOSTILE)
        _agreement(session, provider, year, "Mentoring <b>not bold</b> & more", 12_345_67)
        long_one = _provider(
            session, "Consortium" + "X" * 140, ProviderKind.PRIVATE_COMPANY, Sector.PRIVATE
        )
        _agreement(session, long_one, year, "Y" * 190, 99_999_999_99)
        measure = Measure(
            code="OM 017",
            code_key="OM017",
            unit=MeasureUnit.PERCENT,
            title="Offenders in settled & suitable accommodation > x%",
            area="Interventions & <restrictions>",
            guidance=Guidance.LOCALLY_SET,
        )
        session.add(measure)
        session.add(Target(measure=measure, provider=provider, year=year, value=Decimal("85.5")))
        session.add(
            Priority(
                year_id=year.id,
                number=1,
                title="Protect <the> public & victims",
                rationale="MAPPA obligations met; <font size=40>big</font>",
                provider_response="- bullets & <i>tags</i> stay text",
            )
        )
        session.add(
            Risk(
                reference="R1",
                description="A risk with &amp; in it",
                likelihood=Level.M,
                impact=Level.H,
                owner="Head of <Finance>",
            )
        )
    return workbook


# -- the tests ------------------------------------------------------------------------------


def test_the_reader_sees_where_text_is_drawn_forms_included(tmp_path: Path) -> None:
    """The checks below read PDFs back with ``pdf_reading``: it must see a string poking
    past the margin, and text drawn inside a form (as the page numbers are)."""
    from reportlab.pdfgen.canvas import Canvas

    from dom_desk.plan import style

    font = style.fonts().regular
    canvas = Canvas(str(tmp_path / "probe.pdf"), pagesize=style.PAGE)
    canvas.beginForm("number", lowerx=-100, lowery=-4, upperx=0, uppery=12)
    canvas.setFont(font, 8)
    canvas.drawRightString(0, 0, "Page 1 of 1")
    canvas.endForm()
    canvas.setFont(font, 10)
    canvas.drawString(style.MARGIN_LEFT, 700, "Inside the column")
    canvas.drawRightString(style.PAGE[0] - 10, 650, "Past the right margin")
    canvas.saveState()
    canvas.translate(style.PAGE[0] - style.MARGIN_RIGHT, 40)
    canvas.doForm("number")
    canvas.restoreState()
    canvas.save()

    pdf = tmp_path / "probe.pdf"
    assert [s.text for s in words_outside_margins(pdf)] == ["Past the right margin"]
    [number] = [s for s in drawn(pdf)[0] if s.text == "Page 1 of 1"]
    assert abs(number.x1 - (style.PAGE[0] - style.MARGIN_RIGHT)) < 0.5 and number.y == 40
    assert layout_text(pdf, 1).splitlines() == [
        "Inside the column",
        "Past the right margin",
        "Page 1 of 1",
    ]


def test_markup_is_escaped_before_it_is_applied() -> None:
    assert plain(HOSTILE) == "St Giles' Trust &lt;North&gt; &amp; Co"
    assert inline("**bold** and *it* <b>x</b>") == (
        "<b>bold</b> and <i>it</i> &lt;b&gt;x&lt;/b&gt;"
    )
    # Unpaired or mid-word markers print as typed.
    assert inline("2*3*4 and **open") == "2*3*4 and **open"
    blocks = parse("First line\njoined\n\n- a bullet\n- another & more\n\nLast")
    assert [(b.kind, b.text) for b in blocks] == [
        ("para", "First line joined"),
        ("bullet", "a bullet"),
        ("bullet", "another &amp; more"),
        ("para", "Last"),
    ]


def test_sections_appear_in_the_chosen_order(demo, tmp_path: Path) -> None:
    wanted = ["cover", "contents", "risks", "service_mix", "foreword", "contacts"]
    chosen = [SectionChoice(s.key, s.key in wanted, s.title, s.body) for s in default_template()]
    chosen.sort(key=lambda s: wanted.index(s.key) if s.key in wanted else 99)
    chosen[3] = SectionChoice("service_mix", True, "Money: who gets what", "")
    save_template(demo, chosen, "2009-10")  # the demo's years have plan text of their own
    assert [s.key for s in load_template(demo, "2009-10") if s.included] == wanted

    export_plan(demo, "2009-10", tmp_path / "plan.pdf")
    texts = pages(tmp_path / "plan.pdf")
    titles = ["Contents", "Risk register", "Money: who gets what", "Foreword", "Contacts"]
    starts = section_title_pages(texts, titles)
    assert 0 not in starts, f"a section is missing: {dict(zip(titles, starts, strict=True))}"
    assert starts == sorted(starts)
    whole = " ".join(texts)
    for left_out in ("Targets by provider", "SLA and contract schedule", "Glossary"):
        assert left_out not in whole


def test_contents_page_numbers_are_right(demo_plan) -> None:
    _db, pdf = demo_plan
    texts = pages(pdf)
    contents_page = first_page_with(texts, "Contents")
    entries = []
    for line in page_text(pdf, contents_page).splitlines():
        match = re.match(r"^\s*(.+?)[\s.]+(\d+)\s*$", line)
        if match and not re.search(r"Page \d+ of", line):
            entries.append((match.group(1).strip(" ."), int(match.group(2))))
    assert len(entries) >= 12
    for title, number in entries:
        assert title in texts[number - 1], f"'{title}' is not on page {number}"
        assert number > contents_page


def test_totals_in_the_pdf_equal_the_domain_totals(demo_plan) -> None:
    db, pdf = demo_plan
    wb = open_workbook(db, read_only=True)
    try:
        with wb.session() as session:
            year = year_by_label(session, "2009-10")
            pos = position_in(session, year)
            overview = allocation_totals_in(session, year.id)
    finally:
        wb.close()
    assert overview == (pos.baseline, pos.provisional, pos.agreed, pos.committed)
    text = " ".join(pages(pdf))
    pence = any(v % 100 for v in overview)
    for figure in (*overview, pos.envelope):
        assert format_pounds(figure, always_pence=pence) in text
    for group in pos.by_kind + pos.by_sector:
        assert f"{group.count:,} {format_pounds(group.baseline, always_pence=pence)}" in text
        assert format_pounds(group.committed, always_pence=pence) in text


def words_outside_margins(pdf: Path) -> list[Drawn]:
    """Every string whose inked box pokes out of the text column (22 mm margins on A4)."""
    strings = [item for page in drawn(pdf) for item in page]
    assert strings
    left, right = 22 * 72 / 25.4, 595.28 - 22 * 72 / 25.4
    return [s for s in strings if s.x0 < left - 1 or s.x1 > right + 1]


def test_nothing_is_drawn_outside_the_page_margins(demo_plan) -> None:
    _db, pdf = demo_plan
    assert words_outside_margins(pdf) == []
    # The boxes are measured, not guessed: each "Page N of M" is right-aligned to the
    # margin, so its box ends on it.
    right = 595.28 - 22 * 72 / 25.4
    footers = [s for page in drawn(pdf) for s in page if s.text.startswith("Page ")]
    assert len(footers) == page_count(pdf) - 1
    assert all(abs(s.x1 - right) < 0.5 for s in footers)


def test_hostile_names_print_as_written(hostile, tmp_path: Path) -> None:
    template = [
        SectionChoice(
            s.key,
            True,
            s.title,
            "A **bold** claim & <script>x</script> kept" if s.key == "foreword" else s.body,
        )
        for s in default_template()
    ]
    save_template(hostile, template)
    export_plan(hostile, "2009-10", tmp_path / "plan.pdf", final=True)
    text = " ".join(pages(tmp_path / "plan.pdf", "raw"))
    for written in (
        HOSTILE,
        "Mentoring <b>not bold</b> & more",
        # The wording as written, its blank filled with the provider's target.
        "Offenders in settled & suitable accommodation > 85.5%",
        "INTERVENTIONS & <RESTRICTIONS>",
        "Protect <the> public & victims",
        "<font size=40>big</font>",
        "bullets & <i>tags</i> stay text",
        "A risk with &amp; in it",
        "Head of <Finance>",
        "A bold claim & <script>x</script> kept",
    ):
        assert written in text, written
    assert "85.5%" in text
    # The 150-character name is wrapped inside its cell, never past the margin.
    assert words_outside_margins(tmp_path / "plan.pdf") == []
    assert "ConsortiumXXXX" in text
    assert "MAPPA Multi-Agency Public Protection Arrangements" in text  # used: in glossary
    assert "DTTO" not in text  # not used: not in the glossary


def test_header_rows_repeat_on_a_table_spanning_pages(workbook, tmp_path: Path) -> None:
    with workbook.session() as session:
        year = year_by_label(session, "2009-10")
        for n in range(90):
            provider = _provider(
                session,
                f"Provider {n:03d} with a name long enough to wrap in its cell of the schedule",
            )
            _agreement(
                session, provider, year, f"Through-the-gate services {n:03d}", 100_000_00 + n
            )
    only(workbook, "cover", "agreements")
    export_plan(workbook, "2009-10", tmp_path / "plan.pdf", final=True)
    texts = pages(tmp_path / "plan.pdf", "raw")
    # The rows, not the note under the table explaining its totals (which names some).
    rows = [t.split("Note. The annual value total")[0] for t in texts]
    schedule = [t for t in rows if "Provider 0" in t]
    assert len(schedule) >= 3
    for text in schedule:
        assert "Provider Agreement Type Annual value Term Status Committed 2009-10" in text


def test_draft_watermark_until_final_and_final_recorded(demo, tmp_path: Path) -> None:
    only(demo, "cover", "version_control", "contents", "risks")
    draft = export_plan(demo, "2009-10", tmp_path / "draft.pdf")
    assert (draft.version, draft.final) == ("0.1", False)
    assert all("DRAFT" in t for t in pages(tmp_path / "draft.pdf"))

    final = export_plan(
        demo, "2009-10", tmp_path / "final.pdf", final=True, reason="Agreed with providers"
    )
    assert (final.version, final.final) == ("1.0", True)
    texts = pages(tmp_path / "final.pdf")
    assert not any("DRAFT" in t for t in texts)
    control = texts[first_page_with(texts, "Document version control") - 1]
    assert "0.1 (draft) Draft for comment." in control
    assert "1.0 Agreed with providers" in control
    assert export_plan(demo, "2009-10", tmp_path / "next.pdf").version == "1.1"

    with demo.session() as session:
        rows = session.scalars(select(PlanExport).order_by(PlanExport.id)).all()
        recorded = [(r.version, r.final, r.file_name) for r in rows]
        final_row = rows[1]
    assert recorded == [
        ("0.1", False, "draft.pdf"),
        ("1.0", True, "final.pdf"),
        ("1.1", False, "next.pdf"),
    ]
    digest = hashlib.sha256((tmp_path / "final.pdf").read_bytes()).hexdigest()
    assert final_row.sha256 == digest


def test_failed_export_leaves_no_partial_file(
    demo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from dom_desk.plan import assemble

    only(demo, "cover", "contents", "service_mix", "risks", "contacts")
    target = tmp_path / "plan.pdf"
    target.write_bytes(b"the plan sent to providers last week")

    def broken(_ctx, _section):
        raise RuntimeError("disk pulled out")

    monkeypatch.setitem(assemble.BUILDERS, "risks", broken)
    with pytest.raises(RuntimeError):
        export_plan(demo, "2009-10", target)
    monkeypatch.undo()

    calls = []

    def cancel_during_layout() -> bool:
        calls.append(1)
        return len(calls) > 12

    from dom_desk.plan.document import Cancelled

    with pytest.raises(Cancelled):
        export_plan(demo, "2009-10", target, cancelled=cancel_during_layout)

    assert target.read_bytes() == b"the plan sent to providers last week"
    written = [p.name for p in tmp_path.iterdir() if p.suffix == ".pdf" or "partial" in p.name]
    assert written == ["plan.pdf"]
    with demo.session() as session:
        assert session.scalars(select(PlanExport)).all() == []


def test_template_is_checked_before_it_is_saved(workbook) -> None:
    sections = default_template()
    with pytest.raises(ValidationError, match="appears twice"):
        save_template(workbook, sections + [sections[0]])
    with pytest.raises(ValidationError, match="at least one"):
        save_template(workbook, [SectionChoice(s.key, False, s.title, s.body) for s in sections])
    with pytest.raises(ValidationError, match="needs a title"):
        save_template(
            workbook,
            [
                SectionChoice(s.key, True, " " if s.key == "risks" else s.title, s.body)
                for s in sections
            ],
        )
    assert load_template(workbook) == default_template()
    assert set(SPECS) == {s.key for s in load_template(workbook)}


def test_command_line_writes_the_plan(
    demo_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "demo.domdesk"
    shutil.copyfile(demo_file, db)
    wb = open_workbook(db)
    only(wb, "cover", "contents", "agreements")
    wb.close()
    out = tmp_path / "plan.pdf"
    assert main(["plan", "--db", str(db), "--year", "2009-10", "--final", "-o", str(out)]) == 0
    assert "version 1.0 (final)" in capsys.readouterr().out
    assert page_count(out) >= 4

    assert (
        main(["plan", "--db", str(db), "--year", "2019-20", "-o", str(tmp_path / "none.pdf")]) == 1
    )
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "2019-20" in err
    assert not (tmp_path / "none.pdf").exists()


def test_a_read_only_workbook_exports_drafts_without_recording_them(
    demo_file: Path, tmp_path: Path
) -> None:
    db = tmp_path / "demo.domdesk"
    shutil.copyfile(demo_file, db)
    wb = open_workbook(db)
    only(wb, "cover", "risks")
    wb.close()
    wb = open_workbook(db, read_only=True)
    try:
        with pytest.raises(ValidationError, match="read-only"):
            export_plan(wb, "2009-10", tmp_path / "final.pdf", final=True)
        result = export_plan(wb, "2009-10", tmp_path / "draft.pdf")
        assert (result.version, result.recorded) == ("0.1", False)
        assert (tmp_path / "draft.pdf").exists() and not (tmp_path / "final.pdf").exists()
        with wb.session() as session:
            assert session.scalars(select(PlanExport)).all() == []
    finally:
        wb.close()


def test_every_page_after_the_cover_has_the_running_header_and_its_page_number(demo_plan) -> None:
    _db, pdf = demo_plan
    texts = pages(pdf)
    total = len(texts)
    assert "Page 1 of" not in texts[0]  # the cover has neither
    for number, text in enumerate(texts[1:], start=2):
        assert text.startswith("North West Regional Commissioning Plan 2009-10"), number
        assert text.endswith(f"Page {number} of {total}"), number


def test_schedule_prints_each_agreement_as_the_workbook_has_it(demo_plan) -> None:
    """Values, terms and statuses worked out here from the stored rows: a contract's value
    is its original plus its value variations, its end the latest extension's."""
    db, pdf = demo_plan
    wb = open_workbook(db, read_only=True)
    try:
        with wb.session() as session:
            year = year_by_label(session, "2009-10")
            contracts = session.scalars(
                select(Agreement).where(Agreement.kind == AgreementKind.CONTRACT)
            ).all()
            expected = []
            for a in contracts:
                if a.start > year.end:  # awarded for a later year: not in this schedule
                    continue
                value = a.annual_value + sum(v.value_change or 0 for v in a.variations)
                ends = [v.new_end for v in a.variations if v.new_end] or [a.end]
                committed = sum(
                    x.agreed
                    if x.agreed is not None
                    else x.provisional
                    if x.provisional is not None
                    else x.baseline
                    for x in session.scalars(
                        select(Allocation).where(
                            Allocation.agreement_id == a.id, Allocation.year_id == year.id
                        )
                    )
                )
                expected.append(
                    (
                        format_pounds(value),
                        f"{a.start:%d/%m/%Y} to",
                        f"{ends[-1]:%d/%m/%Y}",
                        a.status.label,
                        format_pounds(committed),
                    )
                )
            varied = sum(1 for a in contracts if a.variations)
    finally:
        wb.close()
    assert varied >= 2  # the demo's contracts include value and duration variations
    [start] = section_title_pages(pages(pdf), ["SLA and contract schedule"])
    rows = [
        " ".join(line.split())
        for n in (start + 1, start + 2)
        for line in page_text(pdf, n).splitlines()
    ]
    rows += [" ".join(line.split()) for line in page_text(pdf, start).splitlines()]
    for value, begins, ends, status, committed in expected:
        row = next((r for r in rows if f"Contract {value} {begins}" in r), None)
        assert row is not None, f"no schedule row with {value} from {begins}"
        assert row.endswith(f"{status} {committed}"), row
        following = rows[rows.index(row) + 1]
        assert ends in following, (row, following)


def test_provider_names_print_as_written_in_every_section(demo, tmp_path: Path) -> None:
    with demo.session() as session:
        provider = session.scalar(select(Provider).where(Provider.name == "HMP Liverpool"))
        provider.name = HOSTILE
        competition = session.scalars(select(Competition)).first()
        competition.subject = f"{HOSTILE} re-competition"
    export_plan(demo, "2009-10", tmp_path / "plan.pdf", final=True)
    raw = pages(tmp_path / "plan.pdf", "raw")
    titles = [
        "SLA and contract schedule",
        "Targets by provider",
        "Competitions timetable",
        "Performance in the previous year",
        "Risk register",
    ]
    starts = section_title_pages(pages(tmp_path / "plan.pdf"), titles)
    for title, begin, end in zip(titles, starts, starts[1:], strict=False):
        assert any(HOSTILE in t for t in raw[begin - 1 : end - 1]), title
    assert HOSTILE.replace("&", "&amp;") not in " ".join(raw)


def test_a_providers_targets_are_titled_on_every_page_they_run_on_to(
    workbook, tmp_path: Path
) -> None:
    name = "Greater Manchester Probation Trust"
    with workbook.session() as session:
        year = year_by_label(session, "2009-10")
        provider = _provider(session, name, ProviderKind.PROBATION_TRUST, Sector.PUBLIC)
        for n in range(110):
            measure = Measure(
                code=f"PT {n}",
                code_key=f"PT{n:03d}",
                unit=MeasureUnit.PERCENT,
                title=f"Measure {n} with wording long enough to wrap onto a "
                "second line of its cell in the targets table",
                area="Public protection",
                guidance=Guidance.NATIONAL,
            )
            session.add(Target(measure=measure, provider=provider, year=year, value=Decimal(n)))
    only(workbook, "targets")
    export_plan(workbook, "2009-10", tmp_path / "plan.pdf", final=True)
    texts = [_body(t) for t in pages(tmp_path / "plan.pdf")]
    assert len(texts) >= 3
    assert f"{name} ID Measure Guidance Target" in texts[0]
    assert "(continued)" not in texts[0]
    for text in texts[1:]:
        assert text.startswith(f"{name} (continued) ID Measure Guidance Target"), text[:80]


def test_long_words_wrap_inside_their_cell_and_nothing_is_lost() -> None:
    from dom_desk.plan import style
    from dom_desk.plan.tables import wrap_text

    font = style.fonts().regular
    text = (
        f"{HOSTILE} (NOMS/DCMF/AC/1997) https://www.justice.gov.uk/about/noms " + "X" * 150 + " end"
    )
    for width in (40.0, 61.5, 120.0):
        lines = wrap_text(text, font, 8, width)
        assert all(style.text_width(line, 8) <= width for line in lines), width
        assert "".join("".join(lines).split()) == "".join(text.split())
    # A reference breaks after a slash rather than mid-name, where it can.
    assert wrap_text("(NOMS/DCMF/AC/1997)", font, 8, 60) == ["(NOMS/DCMF/", "AC/1997)"]


def test_glossary_finds_plurals_and_the_performance_abbreviations() -> None:
    from dom_desk.plan.glossary import used_terms

    found = dict(
        used_terms(
            ["Two SLAs and the PPOs", "PSA 23; ECP/unpaid work", "OGRS/RoSH", "Sapphire, Slap"]
        )
    )
    assert set(found) == {"SLA", "PPO", "PSA", "ECP", "OGRS", "RoSH"}


def test_trend_charts_keep_their_proportions(demo) -> None:
    """The PNG is placed at the size it was drawn, so charts are never squashed."""
    import struct

    from dom_desk.plan.data import gather
    from dom_desk.plan.export import _Steps, _trend_images

    with demo.session() as session:
        data = gather(session, "2009-10", final=False)
    _trend_images(demo, data, _Steps(None, None))
    assert data.trend_images
    for title, png, (width, height) in data.trend_images:
        pixels_w, pixels_h = struct.unpack(">II", png[16:24])
        assert abs(pixels_w / pixels_h - width / height) < 0.01, title
        assert width <= 7.5  # drawn at the page's width: its text is not shrunk


def test_a_stage_reached_prints_the_day_it_was_reached(demo, tmp_path: Path) -> None:
    only(demo, "competitions")
    export_plan(demo, "2009-10", tmp_path / "plan.pdf")
    pdf = tmp_path / "plan.pdf"
    lines = [
        " ".join(line.split())
        for n in range(1, page_count(pdf) + 1)
        for line in page_text(pdf, n).splitlines()
    ]
    row = next(line for line in lines if line.startswith("HMP Buckley Hall Re-compete"))
    # Called 30/06/2009, ITT issued 25/09/2009, awarded 30/10/2009 (planned 28/02/2010).
    assert row.endswith("June 2010 30/06/2009 25/09/2009 30/10/2009 01/07/2010"), row
    assert lines[lines.index(row) + 1] == "manage only SLA (done) (done) (done)"
