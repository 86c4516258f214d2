"""Exporting the plan: read the workbook, build the sections, lay out, write, record.

The PDF is written to a temporary file beside the target and renamed into place only
when complete; the export is recorded (version, reason, file, SHA-256) in the same step,
so a failed or cancelled export leaves neither a partial file nor a record.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dom_desk.domain.periods import format_date
from dom_desk.errors import ValidationError
from dom_desk.files import atomic_path
from dom_desk.storage import audit
from dom_desk.storage.workbook import Workbook

Progress = Callable[[float, str], None]


@dataclass(frozen=True)
class ExportResult:
    path: Path
    version: str
    final: bool
    pages: int
    sha256: str
    seconds: float
    recorded: bool
    #: Things the user should know (a chart left out and why).
    notes: tuple[str, ...] = ()


@dataclass
class _Steps:
    """Progress in the export's own terms, and the cancel check between steps."""

    progress: Progress | None
    cancelled: Callable[[], bool] | None
    notes: list[str] = field(default_factory=list)

    def __call__(self, fraction: float, message: str) -> None:
        if self.cancelled is not None and self.cancelled():
            from dom_desk.plan.document import Cancelled

            raise Cancelled("The export was cancelled; nothing was written.")
        if self.progress is not None:
            self.progress(min(1.0, max(0.0, fraction)), message)


def _trend_images(wb: Workbook, data: Any, steps: _Steps) -> None:
    """PNG trend charts of the previous year, drawn by ``dom_desk.charts``."""
    if not data.trend_measures or data.previous_year is None:
        return
    try:
        from dom_desk import charts
        from dom_desk.domain.trends import trend
    except ImportError as exc:  # charts are optional: the plan still exports
        data.trend_note = f"Trend charts were left out ({exc})."
        steps.notes.append(data.trend_note)
        return
    from io import BytesIO

    width, height = 7.4, 3.3
    failed: list[str] = []
    for i, measure_id in enumerate(data.trend_measures):
        steps(0.06 + 0.08 * i / len(data.trend_measures), "Drawing trend charts")
        trend_data = trend(wb, measure_id, None, year=data.previous_year)
        buffer = BytesIO()
        try:
            figure = charts.trend_figure(trend_data, width=width, height=height)
            _legend_below(figure, width)
            figure.savefig(buffer, format="png", dpi=200)
        except Exception as exc:  # a chart fault must not lose the plan
            failed.append(f"{trend_data.title} ({type(exc).__name__}: {exc})")
            continue
        size = tuple(float(v) for v in figure.get_size_inches())
        subtitle = trend_data.subtitle.strip().rstrip(".")
        data.trend_images.append(
            (f"{trend_data.title} ({subtitle})", buffer.getvalue(), (size[0], size[1]))
        )
    if failed:
        steps.notes.append(
            "Trend charts left out because they could not be drawn: " + "; ".join(failed)
        )
        if not data.trend_images:
            data.trend_note = "Trend charts could not be drawn for this edition."


def _legend_below(figure: Any, width: float) -> None:
    """The legend under the plot in up to three columns, at the page's width: a legend
    beside the plot (the window's layout, for many providers) would crowd the title on a
    portrait page."""
    legends = list(figure.legends)
    if not legends:
        return
    handles = [h for legend in legends for h in legend.legend_handles]
    labels = [t.get_text() for legend in legends for t in legend.get_texts()]
    for legend in legends:
        legend.remove()
    rows = -(-len(labels) // 3)
    height = figure.get_size_inches()[1]
    figure.set_size_inches(width, height + 0.16 * (rows - 1))
    figure.legend(
        handles=handles,
        labels=labels,
        loc="outside lower center",
        ncols=3,
        frameon=False,
        fontsize=8,
    )


def plan_years(wb: Workbook) -> tuple[list[str], str]:
    """The years a plan can be written for, and the one the DOM is working on."""
    from dom_desk.domain.region import current_year, years

    with wb.session() as session:
        return [y.label for y in years(session)], current_year(session).label


def plan_history(wb: Workbook, year: str) -> list[Any]:
    """The year's exports, oldest first (``versions.ExportRecord``)."""
    from dom_desk.domain.region import year_by_label
    from dom_desk.plan.versions import history

    with wb.session() as session:
        return history(session, year_by_label(session, year).id)


def next_plan_version(wb: Workbook, year: str, final: bool) -> str:
    from dom_desk.domain.region import year_by_label
    from dom_desk.plan.versions import next_version

    with wb.session() as session:
        return next_version(session, year_by_label(session, year).id, final)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def read_for_export(
    wb: Workbook, year: str, target: Path, final: bool, reason: str, steps: _Steps
) -> Any:
    """What every export of the plan (PDF or web page) checks and reads first: the
    folder is there, a final version can be recorded, then the plan's data with the
    version's reason and who exported it."""
    from dom_desk.plan.data import gather
    from dom_desk.plan.versions import default_reason

    if not target.parent.is_dir():
        raise ValidationError(f"Could not write '{target}': the folder does not exist.")
    if final and wb.read_only:
        raise ValidationError(
            "The workbook is open read-only: a final plan must be recorded "
            "in it, so open it for editing first"
        )
    steps(0.0, "Reading the workbook")
    with wb.session() as session:
        data = gather(session, year, final)
    data.reason = reason.strip() or default_reason(data.version, final)
    # The login is recorded as who exported it (the audit's word); the plan prints the
    # issuer from the region's settings (data.issued_by), never the login.
    data.exported_by = audit.current_user()
    return data


def write_and_record(
    wb: Workbook,
    year: str,
    target: Path,
    data: Any,
    final: bool,
    write: Callable[[Path], int],
    saving: Callable[[], None],
) -> tuple[int, str, bool]:
    """Writes the plan through ``write`` (given a temporary path, it returns the page
    count) and records the export, all or nothing: exits run inside out, so the file is
    renamed into place and then the record commits, and a failure before the rename
    rolls the record back and removes the temporary file. A read-only workbook writes
    the file unrecorded. Returns the pages, the file's SHA-256 and whether recorded."""
    from dom_desk.domain.region import year_by_label
    from dom_desk.plan.versions import record_export

    recorded = not wb.read_only
    with wb.session() as session, atomic_path(target) as temporary:
        pages = write(temporary)
        saving()
        digest = _sha256(temporary)
        if recorded:
            record_export(
                session,
                year_by_label(session, year).id,
                data.version,
                final,
                data.reason,
                data.today,
                data.exported_by,
                target.name,
                digest,
                audit.now(),
            )
    return pages, digest, recorded


def export_plan(
    wb: Workbook,
    year: str,
    target: Path,
    *,
    final: bool = False,
    reason: str = "",
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> ExportResult:
    """Writes the plan for ``year`` to ``target`` and records the export.

    A draft gets the next minor version (0.1, 0.2 ...) and a DRAFT watermark; a final
    export the next whole version (1.0, 2.0 ...). A read-only workbook can still produce
    a draft, which is then not recorded.
    """
    from dom_desk.plan.assemble import assemble
    from dom_desk.plan.document import PageDecor, write_pdf
    from dom_desk.plan.sections_front import version_label

    started = time.perf_counter()
    target = Path(target)
    if target.suffix.lower() != ".pdf":
        raise ValidationError(f"'{target.name}': save the plan as a .pdf file")
    steps = _Steps(progress, cancelled)
    data = read_for_export(wb, year, target, final, reason, steps)
    _trend_images(wb, data, steps)
    steps(0.15, "Building the sections")
    built = assemble(data)
    decor = PageDecor(
        header=data.title,
        footer=f"Version {version_label(data.version, final)} \u00b7 {format_date(data.today)}",
        draft=not final,
    )
    meta = {
        "title": data.title,
        "author": f"{data.issued_by or data.dom_title}, {data.region}",
        "subject": f"Regional commissioning plan {data.year}",
    }

    def layout(done: int, total: int) -> None:
        steps(0.2 + 0.78 * done / total, "Laying out pages")

    pages, digest, recorded = write_and_record(
        wb,
        year,
        target,
        data,
        final,
        lambda temporary: (
            write_pdf(
                temporary, built.story, decor, meta, built.toc_keys, layout, built.cover_first
            ).total
        ),
        lambda: steps(0.99, "Saving"),
    )
    steps(1.0, "Done")
    return ExportResult(
        target,
        data.version,
        final,
        pages,
        digest,
        time.perf_counter() - started,
        recorded,
        tuple(steps.notes),
    )
