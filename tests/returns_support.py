"""Shared set-up for the provider-returns tests: a small region, and ways to fill a template
the way providers do, by script."""

from __future__ import annotations

import hashlib
import zipfile
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import select, text

from dom_desk.domain.region import year_by_label
from dom_desk.models import (
    Direction,
    Measure,
    MeasureUnit,
    Provider,
    ProviderKind,
    Result,
    Scope,
    Sector,
    Target,
)

PROVIDERS = [
    ("HMP Manchester", ProviderKind.PUBLIC_PRISON, Sector.PUBLIC),
    ("HMP Kirkham", ProviderKind.PUBLIC_PRISON, Sector.PUBLIC),
    ("Lancashire Probation Trust", ProviderKind.PROBATION_TRUST, Sector.PUBLIC),
    ("Shelter North West", ProviderKind.VCS, Sector.THIRD),
    ("Acme Resettlement Ltd", ProviderKind.PRIVATE_COMPANY, Sector.PRIVATE),
]

# code, title, unit, scope, direction
MEASURES = [
    (
        "PT 1",
        "Escapes as a percentage of the average prison population",
        MeasureUnit.PERCENT,
        Scope.PRISON,
        Direction.LOWER,
    ),
    ("PT 2", "Positive random drug tests", MeasureUnit.PERCENT, Scope.PRISON, Direction.LOWER),
    (
        "PT 3",
        "Offenders in settled accommodation at the end of sentence",
        MeasureUnit.PERCENT,
        Scope.INTEGRATED,
        Direction.HIGHER,
    ),
    (
        "PT 4",
        "Domestic violence programme completions",
        MeasureUnit.COUNT,
        Scope.PROBATION,
        Direction.HIGHER,
    ),
    (
        "PM 1",
        "Orders or licences completed successfully",
        MeasureUnit.PERCENT,
        Scope.PROBATION,
        Direction.HIGHER,
    ),
    (
        "PT 6",
        "Staff sickness absence, days per person",
        MeasureUnit.DAYS,
        Scope.INTEGRATED,
        Direction.LOWER,
    ),
    (
        "PT 7",
        "Proven re-offending per 1,000 offenders",
        MeasureUnit.RATE_PER_1000,
        Scope.INTEGRATED,
        Direction.LOWER,
    ),
    ("PT 10", "Unpaid work hours completed", MeasureUnit.COUNT, Scope.PROBATION, Direction.HIGHER),
]

# (provider, code) -> target for 2009-10; None: a target row not yet negotiated
TARGETS: dict[tuple[str, str], Decimal | None] = {
    ("HMP Manchester", "PT 1"): Decimal("0.05"),
    ("HMP Manchester", "PT 2"): Decimal("9.3"),
    ("HMP Manchester", "PT 3"): Decimal("80"),
    ("HMP Manchester", "PT 6"): Decimal("9.5"),
    ("HMP Kirkham", "PT 1"): Decimal("0.05"),
    ("HMP Kirkham", "PT 2"): Decimal("8"),
    ("Lancashire Probation Trust", "PT 4"): Decimal("2397"),
    ("Lancashire Probation Trust", "PM 1"): Decimal("70"),
    ("Lancashire Probation Trust", "PT 3"): None,
    ("Shelter North West", "PT 3"): Decimal("65"),
    ("Shelter North West", "PT 10"): Decimal("12000"),
}


def populate(wb: Any) -> None:
    """Providers, measures and 2009-10 targets for the returns tests."""
    with wb.session() as session:
        year = year_by_label(session, "2009-10")
        providers = {}
        for name, kind, sector in PROVIDERS:
            providers[name] = Provider(
                name=name, kind=kind, sector=sector, contact=f"Performance lead, {name}"
            )
            session.add(providers[name])
        measures = {}
        for code, title, unit, scope, direction in MEASURES:
            measures[code] = Measure(
                code=code,
                code_key=code.replace(" ", "").upper(),
                title=title,
                unit=unit,
                scope=scope,
                direction=direction,
            )
            session.add(measures[code])
        for (provider, code), value in TARGETS.items():
            session.add(
                Target(measure=measures[code], provider=providers[provider], year=year, value=value)
            )


def fill(template: Path, target: Path, edit: Callable[[Any], None]) -> Path:
    """Opens a template as Excel would, lets ``edit`` change the workbook, saves a copy."""
    from openpyxl import load_workbook

    book = load_workbook(template)
    edit(book)
    book.save(target)
    return target


def row_of(sheet: Any, code: str, code_column: int = 1) -> int:
    """The row on a Return sheet holding ``code``."""
    for row in range(1, sheet.max_row + 1):
        if sheet.cell(row, code_column).value == code:
            return row
    raise KeyError(code)


def current_results(wb: Any, provider: str) -> dict[str, tuple]:
    """code -> (actual, numerator, denominator, commentary) of a provider's current figures."""
    with wb.session() as session:
        rows = session.execute(
            select(
                Measure.code, Result.actual, Result.numerator, Result.denominator, Result.commentary
            )
            .join(Result.measure)
            .join(Result.provider)
            .where(Provider.name == provider, Result.superseded.is_(False))
        )
        return {r[0]: tuple(r[1:]) for r in rows}


def table_digest(wb: Any) -> str:
    """A digest of every row of every table: equal before and after means nothing changed."""
    from sqlalchemy import inspect

    digest = hashlib.sha256()
    with wb.engine.connect() as connection:
        # Every table the workbook's schema holds (a file's, or a server region's).
        for table in sorted(inspect(connection).get_table_names()):
            digest.update(table.encode())
            rows = connection.execute(text(f'SELECT * FROM "{table}"'))
            for row in sorted(repr(tuple(r)) for r in rows):
                digest.update(row.encode())
    return digest.hexdigest()


def zip_of(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def _ole(path: Path, encrypted: bool) -> Path:
    """The start of an OLE compound file (what .xls and password-protected xlsx are)."""
    body = bytearray(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504))
    body += "Workbook".encode("utf-16-le") + bytes(200)
    if encrypted:
        body += "EncryptionInfo".encode("utf-16-le") + "EncryptedPackage".encode("utf-16-le")
    path.write_bytes(bytes(body) + bytes(4096))
    return path


# -- hostile and foreign files, shared by every importer's tests ---------------------------


def text_file(path: Path, content: str) -> Path:
    path.write_text(content)
    return path


#: Files that are not workbooks, each with (a maker given a folder, what the refusal says).
FOREIGN: dict[str, tuple[Callable[[Path], Path], str]] = {
    "text": (
        lambda d: text_file(d / "return.xlsx", "Provider,Actual\nHMP Manchester,90\n"),
        "is not an Excel workbook",
    ),
    "empty": (lambda d: text_file(d / "empty.xlsx", ""), "is not an Excel workbook"),
    "old xls": (lambda d: _ole(d / "old.xls", encrypted=False), "old Excel 97-2003 (.xls)"),
    "password": (lambda d: _ole(d / "locked.xlsx", encrypted=True), "protected with a password"),
    "ods": (
        lambda d: zip_of(
            d / "calc.ods",
            {
                "mimetype": b"application/vnd.oasis.opendocument.spreadsheet",
                "content.xml": b"<office:document-content/>",
            },
        ),
        "OpenDocument spreadsheet",
    ),
    "docx": (
        lambda d: zip_of(
            d / "letter.xlsx",
            {"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"},
        ),
        "is a Word document",
    ),
}


def stored_figures(wb: Any) -> dict[tuple[str, str, str], tuple]:
    """(provider, code, period) -> (actual, numerator, denominator, source file) of every
    current figure, read back through the domain (what the results export gives)."""
    from dom_desk.domain.result_table import result_rows

    return {(r[0], r[1], r[2]): (r[3], r[4], r[5], r[8]) for r in result_rows(wb)}
