"""A new Wales workbook for the bulk-target tests: the NOMS 2009-10 framework imported
through the command line, floors recorded, five providers (a signed SLA among them), last
year's agreed targets and one target already negotiated."""

from __future__ import annotations

import dataclasses
import shutil
import tempfile
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

from sqlalchemy import select

from dom_desk.cli import main
from dom_desk.domain.measures import edit_measure
from dom_desk.domain.region import ensure_year, year_by_label
from dom_desk.models import (
    Agreement,
    AgreementKind,
    AgreementStatus,
    Measure,
    Provider,
    ProviderKind,
    Sector,
    Target,
)
from dom_desk.storage.workbook import open_workbook


@dataclass(frozen=True)
class Wales:
    path: Path
    cardiff: int  # public prison, SLA in negotiation
    swansea: int  # public prison, SLA signed
    parc: int  # contracted prison, contract in negotiation
    trust: int  # Wales Probation Trust, SLA in negotiation
    charity: int  # voluntary sector, contract


#: The Wales built once by this test process (a closed file and its ids), copied for
#: each caller: building it (new, import-framework, the records) takes half a second.
_built: list[tuple[tempfile.TemporaryDirectory, Wales]] = []


def build_wales(tmp_path: Path) -> Wales:
    """A fresh Wales workbook at ``tmp_path / "wales.domdesk"``: a copy of the one this
    process built with the command line and the domain."""
    if not _built:
        folder = tempfile.TemporaryDirectory(prefix="wales-")
        _built.append((folder, _build(Path(folder.name))))
        assert not Path(f"{_built[0][1].path}-wal").exists(), "the file alone holds it all"
    built = _built[0][1]
    path = tmp_path / "wales.domdesk"
    shutil.copyfile(built.path, path)
    return dataclasses.replace(built, path=path)


def _build(tmp_path: Path) -> Wales:
    path = tmp_path / "wales.domdesk"
    assert main(["new", "--region", "Wales", "--year", "2009-10", str(path)]) == 0
    assert (
        main(["import-framework", "--db", str(path), "--year", "2009-10", "noms-kpis-2009-10"]) == 0
    )
    wb = open_workbook(path)
    try:
        # The framework prints no floors or most national values: the DOM records them.
        edit_measure(wb, "KPI 5", {"floor": Decimal(70)})
        edit_measure(wb, "KPI 13", {"floor": Decimal("3.5")})
        with wb.session() as s:
            year = year_by_label(s, "2009-10")
            last = ensure_year(s, "2008-09")
            made = {}
            for name, kind, sector in (
                ("HMP Cardiff", ProviderKind.PUBLIC_PRISON, Sector.PUBLIC),
                ("HMP Swansea", ProviderKind.PUBLIC_PRISON, Sector.PUBLIC),
                ("HMP Parc", ProviderKind.CONTRACTED_PRISON, Sector.PRIVATE),
                ("Wales Probation Trust", ProviderKind.PROBATION_TRUST, Sector.PUBLIC),
                ("Gwalia Care", ProviderKind.VCS, Sector.THIRD),
            ):
                provider = Provider(name=name, kind=kind, sector=sector)
                s.add(provider)
                s.flush()
                made[name] = provider.id
            for name, status in (
                ("HMP Cardiff", AgreementStatus.IN_NEGOTIATION),
                ("HMP Swansea", AgreementStatus.SIGNED),
                ("Wales Probation Trust", AgreementStatus.IN_NEGOTIATION),
            ):
                s.add(
                    Agreement(
                        provider_id=made[name],
                        kind=AgreementKind.SLA,
                        year_id=year.id,
                        title=f"{name} SLA 2009-10",
                        status=status,
                    )
                )
            for name in ("HMP Parc", "Gwalia Care"):
                s.add(
                    Agreement(
                        provider_id=made[name],
                        kind=AgreementKind.CONTRACT,
                        title=f"{name} contract",
                        status=AgreementStatus.IN_NEGOTIATION,
                        start=date(2008, 4, 1),
                        end=date(2013, 3, 31),
                    )
                )
            codes = {m.code: m.id for m in s.scalars(select(Measure))}
            # Last year's agreed targets.
            for provider, code, value in (
                ("HMP Cardiff", "KPI 6", "9.5"),  # Locally Set: copied
                ("HMP Cardiff", "KPI 13", "4.2"),  # Regional Minimum above the floor: copied
                ("Wales Probation Trust", "KPI 5", "65"),  # below the floor of 70: not copied
                ("Gwalia Care", "KPI 9", "40"),  # a charity's local target, carried forward
            ):
                s.add(
                    Target(
                        measure_id=codes[code],
                        provider_id=made[provider],
                        year_id=last.id,
                        value=Decimal(value),
                    )
                )
            # This year, one target already negotiated: never overwritten.
            s.add(
                Target(
                    measure_id=codes["KPI 10"],
                    provider_id=made["HMP Cardiff"],
                    year_id=year.id,
                    value=Decimal("1.5"),
                )
            )
        return Wales(
            path,
            made["HMP Cardiff"],
            made["HMP Swansea"],
            made["HMP Parc"],
            made["Wales Probation Trust"],
            made["Gwalia Care"],
        )
    finally:
        wb.close()


def targets_of(wb, year: str = "2009-10") -> dict[tuple[str, str], tuple]:
    with wb.session() as s:
        held = year_by_label(s, year)
        return {
            (t.provider.name, t.measure.code): (t.value, t.minimum, t.notes, t.row_version)
            for t in s.scalars(select(Target).where(Target.year_id == held.id))
        }
