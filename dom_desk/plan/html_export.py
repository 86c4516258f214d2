"""The commissioning plan as one accessible, self-contained HTML5 file.

The same plan as the PDF: ``gather`` reads the workbook once into ``PlanData`` and the
PDF's own section builders (``assemble.build_sections``) build each chosen section;
``html_story`` writes what they built as HTML. Nothing is read twice and no figure is
worked out again here, so the page and the PDF agree figure for figure.

The page: ``<html lang="en-GB">``, a ``<title>``, one ``<h1>``, headings in order, the
contents as a ``<nav>``, tables with captions and header cells, charts as inline SVG or
images with alternative text and their figures as tables, its style sheet embedded (no
network), a print style for A4. Everything a user typed is escaped. The export is
written to a temporary file, renamed into place when complete, and recorded as a PDF
export is (version, reason, file, SHA-256) in the same step.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from dom_desk import __version__
from dom_desk.domain.periods import format_date
from dom_desk.errors import ValidationError
from dom_desk.plan.export import (
    ExportResult,
    Progress,
    _Steps,
    read_for_export,
    write_and_record,
)
from dom_desk.plan.html_markup import one_line
from dom_desk.storage.workbook import Workbook

#: Suffixes that make ``dom-desk plan -o`` (and the plan dialog) write the HTML plan.
HTML_SUFFIXES = (".html", ".htm")


def is_html(target: Path) -> bool:
    return Path(target).suffix.lower() in HTML_SUFFIXES


def _masthead(data: Any) -> str:
    from dom_desk.plan.sections_front import version_label

    facts = [
        ("Region", data.region),
        ("Financial year", data.year),
        ("Version", version_label(data.version, data.final)),
        ("Date", format_date(data.today)),
        ("Issued by", data.issued_by or data.dom_title),
    ]
    rows = "".join(f"<dt>{one_line(k)}</dt><dd>{one_line(v)}</dd>" for k, v in facts)
    parts = ['<header class="masthead"><div>']
    if not data.final:
        parts.append('<p class="draft-banner">DRAFT \u2013 not for publication</p>')
    parts += [
        f'<p class="issuer">{one_line(f"{data.dom_title}, {data.region}")}</p>',
        f"<h1>{one_line(data.title)}</h1>",
        f'<dl class="facts">{rows}</dl>',
    ]
    if not data.final:
        parts.append(
            '<p class="note"><strong>DRAFT</strong> for comment. This version is not for '
            "publication; the figures and targets in it may change before the plan is final.</p>"
        )
    if data.illustrative:
        parts.append(
            '<p class="note">Some figures in this plan are marked in the workbook as '
            "illustrative: they are sample values, not agreed allocations.</p>"
        )
    parts.append("</div></header>")
    return "".join(parts)


def render_html(data: Any, trends: Sequence[Any] = (), unknown: list[str] | None = None) -> str:
    """The whole page for ``data`` (``PlanData``), with ``trends`` the trend charts drawn
    for it (``html_charts.trend_charts``). ``unknown`` collects anything the builders
    made that the page could not write (a test keeps it empty)."""
    from dom_desk.plan.assemble import build_sections
    from dom_desk.plan.html_story import Writer, contents_nav, section_html
    from dom_desk.plan.html_style import CSS
    from dom_desk.plan.sections_front import version_label

    chosen, built, ctx, _entries = build_sections(data)
    writer = Writer(trends)
    # The page's contents list every section after the cover (the PDF's list those after
    # its contents page, whose page numbers a web page has no use for).
    entries = [
        e for s in chosen if s.key not in ("cover", "contents") for e in ctx.toc.get(s.key, [])
    ]
    body: list[str] = []
    nav_done = False
    for section in chosen:
        if section.key == "cover":
            continue  # the masthead carries it
        if section.key == "contents":
            body.append(contents_nav(entries, section.title))
            nav_done = True
            continue
        body.append(section_html(section, built[section.key], writer))
    if not nav_done:
        body.insert(0, contents_nav(entries))
    if unknown is not None:
        unknown.extend(writer.unknown)
    version = version_label(data.version, data.final)
    footer = (
        f"{one_line(data.title)}. Version {one_line(version)}, {format_date(data.today)}. "
        f"Issued by {one_line(data.issued_by or data.dom_title)}. "
        "This page is the accessible edition of the plan; the PDF edition has the same content."
    )
    description = f"Regional commissioning plan {data.year} for {data.region}"
    return (
        '<!DOCTYPE html>\n<html lang="en-GB">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{one_line(data.title)}</title>\n"
        f'<meta name="author" content="{one_line(data.issued_by or data.dom_title)}, '
        f'{one_line(data.region)}">\n'
        f'<meta name="description" content="{one_line(description)}">\n'
        f'<meta name="generator" content="DOM Desk {one_line(__version__)}">\n'
        f"<style>{CSS}</style>\n</head>\n<body>\n"
        '<a class="skip" href="#main">Skip to the plan</a>\n'
        f"{_masthead(data)}\n"
        '<main id="main" tabindex="-1">\n' + "\n".join(body) + "\n</main>\n"
        f"<footer><div><p>{footer}</p></div></footer>\n</body>\n</html>\n"
    )


def export_plan_html(
    wb: Workbook,
    year: str,
    target: Path,
    *,
    final: bool = False,
    reason: str = "",
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> ExportResult:
    """Writes the plan for ``year`` to ``target`` (an .html file) and records the export,
    with the versions, draft marking and read-only rules of ``export_plan``."""
    from dom_desk.plan.html_charts import trend_charts

    started = time.perf_counter()
    target = Path(target)
    if not is_html(target):
        raise ValidationError(f"'{target.name}': save the HTML plan as a .html file")
    steps = _Steps(progress, cancelled)
    data = read_for_export(wb, year, target, final, reason, steps)
    steps(0.1, "Drawing trend charts")
    trends = trend_charts(wb, data, steps.notes.append)
    steps(0.5, "Writing the page")
    page = render_html(data, trends).encode("utf-8")

    def write(temporary: Path) -> int:
        temporary.write_bytes(page)
        return 0  # a web page has no pages

    _pages, digest, recorded = write_and_record(
        wb, year, target, data, final, write, lambda: steps(0.95, "Saving")
    )
    steps(1.0, "Done")
    return ExportResult(
        target,
        data.version,
        final,
        0,
        digest,
        time.perf_counter() - started,
        recorded,
        tuple(steps.notes),
    )


def export_plan_file(wb: Workbook, year: str, target: Path, **options: Any) -> ExportResult:
    """The plan as the file ``target`` names: a .pdf (``export_plan``) or a .html page
    (``export_plan_html``); any other suffix is refused before anything is read."""
    import dom_desk.plan

    target = Path(target)
    if is_html(target):
        return export_plan_html(wb, year, target, **options)
    if target.suffix.lower() != ".pdf":
        raise ValidationError(
            f"'{target.name}': save the plan as a .pdf file, or as a .html file for the "
            "accessible web page"
        )
    return dom_desk.plan.export_plan(wb, year, target, **options)
