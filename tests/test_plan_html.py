"""The commissioning plan as an accessible HTML page, read back as a browser and a screen
reader would: its structure, its escaping, its figures against the PDF's, and axe-core's
WCAG 2.1 AA check in headless Chromium."""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import pytest
from sqlalchemy import select

from dom_desk.cli import main
from dom_desk.domain.money import format_pounds
from dom_desk.domain.region import year_by_label
from dom_desk.errors import ValidationError
from dom_desk.models import (
    Agreement,
    AgreementKind,
    AgreementStatus,
    Allocation,
    PlanExport,
    Priority,
    Provider,
    ProviderKind,
    Sector,
)
from dom_desk.plan.html_export import export_plan_file, export_plan_html, render_html
from dom_desk.storage.workbook import open_workbook

HOSTILE = "St Giles' Trust <North> & Co"
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
VOID = {"br", "meta", "img", "hr", "input", "link", "col", "area", "base", "source", "wbr"}


# -- reading the page back ---------------------------------------------------------------------


@dataclass
class Node:
    tag: str
    attrs: dict[str, str]
    children: list[Node | str] = field(default_factory=list)
    parent: Node | None = None

    def text(self) -> str:
        return " ".join(
            "".join(
                c if isinstance(c, str) else " " + c.text() + " " for c in self.children
            ).split()
        )

    def all(self, tag: str) -> list[Node]:
        found = []
        for c in self.children:
            if isinstance(c, Node):
                if c.tag == tag:
                    found.append(c)
                found += c.all(tag)
        return found

    def walk(self) -> list[Node]:
        found = []
        for c in self.children:
            if isinstance(c, Node):
                found.append(c)
                found += c.walk()
        return found


class TreeBuilder(HTMLParser):
    """The page as a tree; it fails on a closing tag that does not match what is open,
    so a page that is not well nested cannot pass."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#document", {})
        self.open = self.root

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, {k: v or "" for k, v in attrs}, parent=self.open)
        self.open.children.append(node)
        if tag not in VOID:
            self.open = node

    def handle_endtag(self, tag: str) -> None:
        assert self.open.tag == tag, f"</{tag}> closes <{self.open.tag}>"
        assert self.open.parent is not None
        self.open = self.open.parent

    def handle_data(self, data: str) -> None:
        self.open.children.append(data)


def parse(page: str) -> Node:
    builder = TreeBuilder()
    builder.feed(page)
    builder.close()
    assert builder.open is builder.root, "elements left open at the end of the page"
    return builder.root


def table_rows(table: Node) -> list[list[str]]:
    return [
        [cell.text() for cell in tr.walk() if cell.tag in ("th", "td")] for tr in table.all("tr")
    ]


def table_by_caption(root: Node, caption: str) -> Node:
    found = [t for t in root.all("table") if t.all("caption")[0].text() == caption]
    assert len(found) == 1, [t.all("caption")[0].text() for t in root.all("table")]
    return found[0]


# -- the demo plan, once -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def demo_plans(
    demo_file: Path, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Path, Path, Path]:
    """The demo's plan as HTML and as a PDF, written by ``dom-desk plan``."""
    folder = tmp_path_factory.mktemp("plan_html")
    copy = folder / "demo.domdesk"
    shutil.copyfile(demo_file, copy)
    page, pdf = folder / "plan.html", folder / "plan.pdf"
    for target in (page, pdf):
        args = ["plan", "--db", str(copy), "--year", "2009-10", "-o", str(target), "--quiet"]
        assert main(args) == 0
    return copy, page, pdf


@pytest.fixture(scope="module")
def demo_page(demo_plans) -> str:
    return demo_plans[1].read_text(encoding="utf-8")


def test_the_page_is_one_titled_self_contained_document_in_british_english(demo_page) -> None:
    root = parse(demo_page)
    [page] = root.all("html")
    assert page.attrs["lang"] == "en-GB"
    assert demo_page.startswith("<!DOCTYPE html>")
    [title] = root.all("head")[0].all("title")
    assert title.text() == "North West Regional Commissioning Plan 2009-10"
    [h1] = root.all("h1")
    assert h1.text() == title.text()
    # Nothing is fetched: no scripts, no linked style sheets, no outside images or fonts.
    assert not root.all("script") and not root.all("link")
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", demo_page)
    assert "@import" not in demo_page and "url(" not in demo_page
    assert root.all("style") and "@media print" in root.all("style")[0].text()
    assert [n.tag for n in root.all("main")] == ["main"]


def test_headings_run_in_order_and_the_contents_link_to_each(demo_page) -> None:
    root = parse(demo_page)
    levels = [int(n.tag[1]) for n in root.walk() if re.fullmatch(r"h[1-6]", n.tag)]
    assert levels[0] == 1 and levels.count(1) == 1
    # A heading is never more than one level below the one before it.
    assert all(b <= a + 1 for a, b in zip(levels, levels[1:], strict=False)), levels
    h2 = [n.text() for n in root.all("h2")]
    assert h2[:4] == [
        "Document version control",
        "Foreword",
        "Contents",
        "Strategic priorities and commissioning intentions",
    ]
    assert "Risk register" in h2 and "SLA and contract schedule" in h2
    [nav] = root.all("nav")
    ids = {n.attrs["id"] for n in root.walk() if "id" in n.attrs}
    links = [a.attrs["href"] for a in nav.all("a")]
    assert len(links) > 20
    assert all(href.startswith("#") and href[1:] in ids for href in links)
    # Every section heading is in the contents, under its own title.
    by_id = {
        n.attrs["id"]: n.text() for n in root.walk() if n.tag in ("h2", "h3") and "id" in n.attrs
    }
    listed = {a.attrs["href"][1:]: a.text() for a in nav.all("a")}
    assert all(by_id[key] == words for key, words in listed.items())
    assert {n.text() for n in root.all("h2")} - set(listed.values()) == {"Contents"}


def test_every_table_has_a_caption_and_header_cells_with_scope(demo_page) -> None:
    root = parse(demo_page)
    tables = root.all("table")
    assert len(tables) > 30
    for table in tables:
        captions = table.all("caption")
        assert len(captions) == 1 and captions[0].text(), table_rows(table)[:1]
        assert table.children[0] is captions[0]
        head = table.all("thead")[0].all("th")
        assert head and all(th.attrs.get("scope") == "col" for th in head)
        for body in table.all("tbody"):
            for tr in body.all("tr"):
                cells = [c for c in tr.children if isinstance(c, Node)]
                first = cells[0]
                if first.tag == "th":
                    assert first.attrs.get("scope") in ("row", "rowgroup"), first.attrs
                else:  # only an empty first cell is left a data cell
                    assert first.text() == ""
    # Money is right-aligned: every cell of a column of pounds carries the figures' class.
    schedule = table_by_caption(root, "SLA and contract schedule")
    heads = [th.text() for th in schedule.all("thead")[0].all("th")]
    money_cols = [heads.index("Annual value"), heads.index("Committed 2009-10")]
    for tr in [r for r in schedule.all("tbody")[1].all("tr") if r.attrs.get("class") != "group"]:
        cells = [c for c in tr.children if isinstance(c, Node)]
        for i in money_cols:
            assert cells[i].text().startswith("£") and "num" in cells[i].attrs.get("class", "")
    assert ".num { text-align: right;" in demo_page


def test_charts_have_alternative_text_and_their_figures_as_tables(demo_page) -> None:
    root = parse(demo_page)
    images = root.all("img")
    assert images and all(len(img.attrs.get("alt", "")) > 30 for img in images)
    assert all(img.attrs["src"].startswith("data:image/svg+xml;base64,") for img in images)
    svgs = root.all("svg")
    assert len(svgs) >= 2
    for svg in svgs:
        assert svg.attrs["role"] == "img"
        named = svg.attrs["aria-labelledby"].split()
        ids = {n.attrs.get("id") for n in svg.walk()}
        assert all(i in ids for i in named)
    for figure in root.all("figure"):
        assert figure.all("figcaption")
    # Each trend chart is followed by the figures it draws, month by month.
    trend_tables = [
        t
        for t in root.all("table")
        if t.all("caption")[0].text().startswith("Figures in the chart: KPI")
        or t.all("caption")[0].text().startswith("Figures in the chart: P")
    ]
    assert len(trend_tables) == len(images)
    rows = table_rows(trend_tables[0])
    assert [r[0] for r in rows[1:]] == [
        "Apr",
        "May",
        "Jun",
        "Jul",
        "Aug",
        "Sep",
        "Oct",
        "Nov",
        "Dec",
        "Jan",
        "Feb",
        "Mar",
    ]
    # The heat map is itself a table: each cell says its score in words.
    heat = table_by_caption(root, "Heat map: open risks by likelihood and impact")
    assert table_rows(heat)[1][0] == "Very high likelihood"
    assert all("Score" in cell for row in table_rows(heat)[1:] for cell in row[1:])


def test_allocation_totals_in_the_page_are_the_pdfs_and_the_workbooks(
    demo_plans, demo_page
) -> None:
    copy, _page, pdf = demo_plans
    root = parse(demo_page)
    total = next(
        r
        for r in table_rows(table_by_caption(root, "Allocations by provider kind"))
        if r[0] == "Total"
    )
    # Worked out again from the allocation rows, apart from the domain's totals.
    wb = open_workbook(copy, read_only=True)
    try:
        with wb.session() as session:
            year = year_by_label(session, "2009-10")
            rows = session.execute(
                select(Allocation.baseline, Allocation.provisional, Allocation.agreed).where(
                    Allocation.year_id == year.id
                )
            ).all()
    finally:
        wb.close()
    baseline = sum(b for b, _p, _a in rows)
    provisional = sum(p if p is not None else b for b, p, _a in rows)
    agreed = sum(a for _b, _p, a in rows if a is not None)
    committed = sum(a if a is not None else (p if p is not None else b) for b, p, a in rows)
    expected = [
        "Total",
        f"{len(rows):,}",
        *(format_pounds(v) for v in (baseline, provisional, agreed, committed)),
        "100.0%",
    ]
    assert total == expected
    # The PDF prints the same row (pdftotext keeps a table row on one line).
    if shutil.which("pdftotext") is None:
        if IN_CI:
            pytest.fail("pdftotext (poppler-utils) is missing on CI")
        pytest.skip("pdftotext (Debian package poppler-utils) is not installed")
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    printed = [" ".join(line.split()) for line in text.splitlines()]
    assert " ".join(expected) in printed


def test_the_page_knows_everything_the_builders_make(demo) -> None:
    """Every section DOM Desk can write, the commissioning cycle's too: nothing the
    builders make is left out of the page unwritten."""
    from dataclasses import replace

    from dom_desk.plan import load_template, save_template
    from dom_desk.plan.data import gather

    chosen = load_template(demo, "2009-10")
    save_template(demo, [replace(s, included=True) for s in chosen], "2009-10")
    with demo.session() as session:
        data = gather(session, "2009-10", False)
    unknown: list[str] = []
    render_html(data, (), unknown)
    assert unknown == []


# -- user text ---------------------------------------------------------------------------------


@pytest.fixture
def hostile(workbook):
    with workbook.session() as session:
        year = year_by_label(session, "2009-10")
        provider = Provider(name=HOSTILE, kind=ProviderKind.VCS, sector=Sector.THIRD)
        agreement = Agreement(
            provider=provider,
            kind=AgreementKind.SLA,
            title='Mentoring <b>not bold</b> & "more"',
            year=year,
            status=AgreementStatus.AGREED,
            annual_value=1_234_567,
        )
        session.add_all(
            [
                provider,
                agreement,
                Allocation(year=year, agreement=agreement, baseline=1_234_567, agreed=1_234_500),
                Priority(
                    year_id=year.id,
                    number=1,
                    title="Protect <the> public & victims",
                    rationale="<script>alert(1)</script> and <font size=40>big</font>",
                    provider_response="- bullets & <i>tags</i> stay text",
                ),
            ]
        )
    return workbook


def test_user_text_prints_as_written_and_never_as_markup(hostile, tmp_path: Path) -> None:
    target = tmp_path / "plan.html"
    export_plan_html(hostile, "2009-10", target)
    page = target.read_text(encoding="utf-8")
    root = parse(page)
    words = root.text()
    for typed in (
        HOSTILE,
        'Mentoring <b>not bold</b> & "more"',
        "Protect <the> public & victims",
        "<script>alert(1)</script> and <font size=40>big</font>",
        "bullets & <i>tags</i> stay text",
    ):
        assert typed in words
    assert html.escape(HOSTILE) in page  # quotes escaped as well
    assert not root.all("script") and not root.all("font") and not root.all("the")
    assert [b.text() for b in root.all("b")] == []
    # The DOM's bullet stays a list item; the plan's own bold stays bold.
    assert any(li.text() == "bullets & <i>tags</i> stay text" for li in root.all("li"))
    assert "Response expected from providers" in [s.text() for s in root.all("strong")]


# -- the command line and the record -----------------------------------------------------------


def test_an_html_export_is_recorded_like_a_pdf_one(workbook, tmp_path: Path) -> None:
    import hashlib

    target = tmp_path / "Plan 2009-10.html"
    result = export_plan_file(workbook, "2009-10", target, reason="For the website")
    with workbook.session() as session:
        [record] = session.scalars(select(PlanExport)).all()
        assert (record.version, record.file_name, record.reason) == (
            "0.1",
            "Plan 2009-10.html",
            "For the website",
        )
        assert record.sha256 == hashlib.sha256(target.read_bytes()).hexdigest() == result.sha256
    assert "DRAFT \u2013 not for publication" in target.read_text(encoding="utf-8")
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_a_file_that_is_neither_pdf_nor_html_is_refused(workbook, tmp_path: Path) -> None:
    with pytest.raises(
        ValidationError, match=r"'plan\.txt': save the plan as a \.pdf file, or as a \.html"
    ):
        export_plan_file(workbook, "2009-10", tmp_path / "plan.txt")
    assert not (tmp_path / "plan.txt").exists()
    with workbook.session() as session:
        assert session.scalars(select(PlanExport)).all() == []


def test_the_pdf_names_its_title_author_subject_and_language(demo_plans) -> None:
    import pypdf

    _copy, _page, pdf = demo_plans
    reader = pypdf.PdfReader(pdf)
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "en-GB"
    assert bool(root["/ViewerPreferences"]["/DisplayDocTitle"])
    assert root["/Outlines"]  # bookmarks
    meta = reader.metadata
    assert meta.title == "North West Regional Commissioning Plan 2009-10"
    assert meta.author == "Director of Offender Management, North West"
    assert meta.subject == "Regional commissioning plan 2009-10"
    if shutil.which("pdfinfo"):
        info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True)
        assert "Title:           North West Regional Commissioning Plan 2009-10" in info.stdout


# -- axe-core in headless Chromium -------------------------------------------------------------


def _missing(reason: str) -> None:
    if IN_CI:
        pytest.fail(f"{reason} (CI must have it: see .ci/run)")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    _missing("Chromium is not installed (Debian package chromium)")
    raise AssertionError


@pytest.fixture(scope="session")
def axe_js(tmp_path_factory: pytest.TempPathFactory) -> str:
    """axe-core's script: from DOM_DESK_AXE, the copy .ci/run installs under .venv/axe, or
    installed with npm into this session's own folder."""
    candidates = [os.environ.get("DOM_DESK_AXE", "")]
    candidates.append(str(Path(__file__).parents[1] / ".venv/axe/node_modules/axe-core/axe.min.js"))
    for candidate in candidates:
        if candidate and Path(candidate).is_file():
            return Path(candidate).read_text(encoding="utf-8")
    npm = shutil.which("npm")
    if npm is None:
        _missing("axe-core is not installed and npm is not there to install it")
    cache = tmp_path_factory.mktemp("axe")
    done = subprocess.run(
        [npm, "install", "--prefix", str(cache), "--no-audit", "--no-fund", "axe-core@4"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    script = cache / "node_modules/axe-core/axe.min.js"
    if done.returncode or not script.is_file():
        _missing(f"npm could not install axe-core: {done.stderr.strip()[-300:]}")
    return script.read_text(encoding="utf-8")


RUN_AXE = """
<script>%s</script>
<script>
function report(value) {
  var pre = document.createElement("pre");
  pre.id = "axe-result";
  pre.textContent = JSON.stringify(value);
  document.body.appendChild(pre);
}
axe.run(document, {runOnly: {type: "tag",
    values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]}})
  .then(function (r) {
    report({violations: r.violations.map(function (v) {
      return {id: v.id, help: v.help, nodes: v.nodes.slice(0, 5).map(function (n) {
        return n.target.join(" ") + ": " + n.failureSummary; })}; }),
      passes: r.passes.map(function (p) { return p.id; })});
  })
  .catch(function (e) { report({error: String(e)}); });
</script>
"""


def run_axe(page: str, folder: Path, chromium: str, axe_js: str) -> dict:
    """axe-core's findings on ``page``, run in headless Chromium from a local file."""
    folder.mkdir(parents=True, exist_ok=True)
    probe = folder / "page.html"
    script = RUN_AXE % axe_js.replace("</script", "<\\/script")
    probe.write_text(page.replace("</body>", script + "</body>"), encoding="utf-8")
    done = subprocess.run(
        [
            chromium,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={folder / 'profile'}",
            "--virtual-time-budget=60000",
            "--dump-dom",
            probe.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    found = re.search(r'<pre id="axe-result">(.*?)</pre>', done.stdout, re.S)
    assert found, f"axe-core reported nothing: {done.stderr[-2000:]}"
    result = json.loads(html.unescape(found.group(1)))
    assert "error" not in result, result
    return result


def test_axe_core_finds_a_fault_when_there_is_one(tmp_path: Path, chromium, axe_js) -> None:
    """The check below can fail: the same run finds an image without alternative text
    and a page without a language."""
    page = "<!DOCTYPE html><html><head><title>t</title></head><body><main><h1>t</h1>"
    page += '<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw="></main></body></html>'
    result = run_axe(page, tmp_path / "broken", chromium, axe_js)
    assert {"image-alt", "html-has-lang"} <= {v["id"] for v in result["violations"]}


def test_the_plan_passes_axe_core_wcag_21_aa(demo_page, tmp_path: Path, chromium, axe_js) -> None:
    result = run_axe(demo_page, tmp_path / "plan", chromium, axe_js)
    assert result["violations"] == []
    # The checks that matter here were run and passed (not merely not applicable).
    assert {
        "html-has-lang",
        "document-title",
        "image-alt",
        "svg-img-alt",
        "color-contrast",
        "heading-order",
        "page-has-heading-one",
        "th-has-data-cells",
        "td-headers-attr",
        "scope-attr-valid",
        "list",
    } <= set(result["passes"])
