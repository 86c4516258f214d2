"""What an import found and did, file by file: the preview the dialog shows and the
summary the command line prints."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from dom_desk.domain.periods import period_label
from dom_desk.domain.provider_match import NameMatch
from dom_desk.domain.returns_row_types import Adjustment, decisions_words
from dom_desk.domain.returns_rows import PreviewRow, RowStatus
from dom_desk.errors import DomDeskError
from dom_desk.models.base import Labelled

#: Problem sentences kept per file; the rest are counted.
MAX_PROBLEMS = 200


def figures(count: int) -> str:
    return f"{count:,} figure" if count == 1 else f"{count:,} figures"


class FileState(Labelled):
    READY = "Ready to import"
    CONFIRM = "Provider name to confirm"
    DUPLICATE = "Already imported"
    REFUSED = "Refused"
    IMPORTED = "Imported"


class ImportCancelled(DomDeskError):
    """The user stopped the import; nothing was written."""


@dataclass
class FilePreview:
    """One file's part in an import: what it holds, and what happened to it."""

    path: Path
    sha256: str = ""
    state: FileState = FileState.READY
    #: Reasons it is refused: one sentence each, naming the file and cell.
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    #: Notes on rows (a 0.9 read as 90%, a figure worked out), the first few hundred.
    row_notes: list[str] = field(default_factory=list)
    provider_written: str = ""
    match: NameMatch | None = None
    provider_id: int | None = None
    provider_name: str = ""
    period_id: int | None = None
    period_code: str = ""
    completed_by: str = ""
    declared: bool | None = None
    #: Earlier submissions for the same provider and period that this one replaces.
    replaces: list[str] = field(default_factory=list)
    #: Every non-empty row, when the preview keeps rows (the dialog); else empty.
    rows: list[PreviewRow] = field(default_factory=list)
    counts: Counter = field(default_factory=Counter)
    more_problems: int = 0
    submission_id: int | None = None
    figures: int = 0
    superseded_figures: int = 0
    #: The cells corrected and rows left out in the preview (stored with the import).
    adjustments: list[Adjustment] = field(default_factory=list)
    #: The sheet the rows were read from, and the letter of each of its columns
    #: (``Actual`` -> ``E``), so the preview can name a cell to correct.
    sheet: str = ""
    letters: dict[str, str] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return self.path.name

    def refuse(self, problem: str) -> None:
        self.state = FileState.REFUSED
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(problem)
        else:
            self.more_problems += 1

    def all_problems(self) -> list[str]:
        extra = (
            [f"'{self.name}': ... and {self.more_problems:,} more problems"]
            if self.more_problems
            else []
        )
        return self.problems + extra

    @property
    def corrections(self) -> int:
        return sum(1 for a in self.adjustments if not a.left_out)

    @property
    def rows_left_out(self) -> int:
        return sum(1 for a in self.adjustments if a.left_out)

    def decided(self) -> str:
        """``2 corrections, 1 row left out``, or ""."""
        return decisions_words(self.corrections, self.rows_left_out)

    @property
    def ready_figures(self) -> int:
        """Rows that will be stored (or were, once imported)."""
        return self.counts[RowStatus.READY] + self.counts[RowStatus.NOTE]

    def summary(self, dry_run: bool = False) -> str:
        """One line saying what happened (or, on a dry run, would happen)."""
        what = f"{self.provider_name}, {period_label(self.period_code)}"
        replacing = f", replacing {'; '.join(self.replaces)}" if self.replaces else ""
        if self.adjustments:
            replacing += f" ({self.decided()})"
        match self.state:
            case FileState.IMPORTED:
                return f"'{self.name}': imported {figures(self.figures)} for {what}{replacing}."
            case FileState.READY:
                verb = "would import" if dry_run else "ready to import"
                return f"'{self.name}': {verb} {figures(self.ready_figures)} for {what}{replacing}."
            case FileState.DUPLICATE:
                return self.notes[0] if self.notes else f"'{self.name}': already imported."
            case FileState.CONFIRM:
                assert self.match is not None
                return f"'{self.name}': {self.match.describe()}; confirm the match to import it."
        return self.problems[0] if self.problems else f"'{self.name}': refused."


@dataclass
class ImportSummary:
    files: list[FilePreview]
    dry_run: bool = False

    @property
    def ok(self) -> bool:
        """Every file imported or already there (on a dry run: ready, or already there)."""
        done = FileState.READY if self.dry_run else FileState.IMPORTED
        return bool(self.files) and all(f.state in (done, FileState.DUPLICATE) for f in self.files)

    def count(self, state: FileState) -> int:
        return sum(1 for f in self.files if f.state is state)

    @property
    def figures(self) -> int:
        return sum(f.figures for f in self.files)

    def problems(self) -> list[str]:
        return [p for f in self.files for p in f.all_problems()] + [
            f.summary() for f in self.files if f.state is FileState.CONFIRM
        ]

    def headline(self) -> str:
        """One line for the whole import: how many files ended how."""
        if self.dry_run:
            parts = [f"{self.count(FileState.READY)} would be imported"]
        else:
            parts = [f"{self.count(FileState.IMPORTED)} imported ({figures(self.figures)})"]
        for state, words in (
            (FileState.DUPLICATE, "already imported"),
            (FileState.CONFIRM, "to confirm"),
            (FileState.REFUSED, "refused"),
        ):
            if self.count(state):
                parts.append(f"{self.count(state)} {words}")
        text = f"{len(self.files)} file(s): " + ", ".join(parts) + "."
        counted = [
            f
            for f in self.files
            if f.state is (FileState.READY if self.dry_run else FileState.IMPORTED)
        ]
        if any(f.adjustments for f in counted):
            words = decisions_words(
                sum(f.corrections for f in counted), sum(f.rows_left_out for f in counted)
            )
            text = text[:-1] + f"; {words}."
        return f"Dry run, nothing written. {text}" if self.dry_run else text
