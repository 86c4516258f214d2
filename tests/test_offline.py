"""Working offline on the real server: check-out, edits on both sides, the three-way
check-in, conflicts and their choices, ids remapped, repeats and interruptions.

Each test gets a fresh DATABASE (made from a template holding the published demo), so
tests never see each other's check-ins.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from dom_desk.domain import offline
from dom_desk.models import (
    Agreement,
    AgreementStatus,
    Allocation,
    AuditEntry,
    Base,
    Level,
    Provider,
    ProviderKind,
    Risk,
    Sector,
)
from dom_desk.storage import server_admin
from dom_desk.storage.server_address import parse_address
from dom_desk.storage.workbook import open_workbook

REPO = Path(__file__).resolve().parent.parent


def _admin(pg_url: str) -> sa.Engine:
    return sa.create_engine(pg_url, isolation_level="AUTOCOMMIT")


@pytest.fixture(scope="module")
def template(pg_url: str, demo_file: Path) -> Iterator[str]:
    """A database holding the published demo, copied for each test."""
    name = f"offline_tpl_{uuid.uuid4().hex[:8]}"
    admin = _admin(pg_url)
    with admin.connect() as connection:
        connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    url = pg_url.rsplit("/", 1)[0] + f"/{name}"
    address = parse_address(url)
    server_admin.init_server(address)
    server_admin.publish(demo_file, address)
    yield name
    with admin.connect() as connection:
        connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.dispose()


@pytest.fixture
def region_url(pg_url: str, template: str) -> Iterator[str]:
    name = f"offline_{uuid.uuid4().hex[:10]}"
    admin = _admin(pg_url)
    with admin.connect() as connection:
        connection.exec_driver_sql(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    yield pg_url.rsplit("/", 1)[0] + f"/{name}?region=north-west"
    with admin.connect() as connection:
        connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.dispose()


@pytest.fixture
def laptop(region_url: str, tmp_path: Path) -> Path:
    path = tmp_path / "laptop.domdesk"
    offline.checkout(region_url, path)
    return path


def _edit(where: str | Path, change) -> object:  # noqa: ANN001 - a function of a session
    wb = open_workbook(where)
    try:
        with wb.session() as session:
            return change(session)
    finally:
        wb.close()


def _read(where: str | Path, read) -> object:  # noqa: ANN001
    wb = open_workbook(where, read_only=True)
    try:
        with wb.session() as session:
            return read(session)
    finally:
        wb.close()


def _allocation_id(where: str | Path) -> int:
    return _read(
        where, lambda s: s.scalars(sa.select(Allocation.id).order_by(Allocation.id)).first()
    )


def _set(model, row_id: int, **values):  # noqa: ANN001, ANN202
    def change(session):  # noqa: ANN001, ANN202
        record = session.get(model, row_id)
        for key, value in values.items():
            setattr(record, key, value)

    return change


def _get(model, row_id: int, key: str):  # noqa: ANN001, ANN202
    return lambda session: getattr(session.get(model, row_id), key)


def _count(model):  # noqa: ANN001, ANN202
    return lambda session: session.scalar(sa.select(sa.func.count()).select_from(model))


def _state(url: str) -> dict[str, list[tuple]]:
    """Every row of every table on the server, for comparing before and after."""

    def read(session):  # noqa: ANN001, ANN202
        return {
            t.name: sorted(map(tuple, session.execute(sa.select(t)).all()), key=repr)
            for t in Base.metadata.sorted_tables
        }

    return _read(url, read)


# -- check-out -------------------------------------------------------------------------------


def test_a_checkout_is_an_ordinary_workbook_that_knows_its_server(region_url, laptop):
    wb = open_workbook(laptop)
    try:
        copy = offline.offline_copy_of(wb)
    finally:
        wb.close()
    assert copy is not None
    assert copy.region == "North West"
    assert copy.server.endswith("?region=north-west") and "@" in copy.server
    assert len(copy.token) == 36
    server_allocations = _read(region_url, _count(Allocation))
    assert _read(laptop, _count(Allocation)) == server_allocations > 0
    plan = offline.plan_checkin(laptop)
    assert plan.conflicts == [] and plan.yours.total == 0 and plan.theirs.total == 0
    server = open_workbook(region_url, read_only=True)
    try:
        assert offline.offline_copy_of(server) is None
    finally:
        server.close()


def test_checking_out_over_an_existing_file_is_refused(region_url, laptop):
    with pytest.raises(Exception, match="already exists"):
        offline.checkout(region_url, laptop)


# -- one-sided changes ------------------------------------------------------------------------


def test_changes_on_one_side_only_are_merged_both_ways(region_url, laptop):
    first, second = _read(
        region_url, lambda s: s.scalars(sa.select(Allocation.id).order_by(Allocation.id)).all()[:2]
    )
    before = _read(region_url, _get(Allocation, first, "row_version"))
    _edit(laptop, _set(Allocation, first, agreed=123_456_00))
    _edit(region_url, _set(Allocation, second, agreed=654_321_00))

    plan = offline.plan_checkin(laptop)
    assert plan.conflicts == []
    assert (plan.yours.changed, plan.theirs.changed) == (1, 1)

    result = offline.checkin(laptop)
    assert result.checked_in, result.message
    assert result.written.changed == 1
    assert _read(region_url, _get(Allocation, first, "agreed")) == 123_456_00
    assert _read(region_url, _get(Allocation, second, "agreed")) == 654_321_00
    assert _read(region_url, _get(Allocation, first, "row_version")) == before + 1
    # The file was refreshed from the server: it has the server's change, a new token.
    assert _read(laptop, _get(Allocation, second, "agreed")) == 654_321_00
    assert result.copy is not None and result.copy.token != plan.copy.token
    # The laptop's change is in the server's audit trail, with who made it.
    entries = _read(
        region_url,
        lambda s: s.execute(
            sa.select(AuditEntry.new, AuditEntry.machine).where(
                AuditEntry.entity == "allocation",
                AuditEntry.entity_id == first,
                AuditEntry.field == "agreed",
            )
        ).all(),
    )
    assert ("12345600", entries[-1].machine) in [tuple(e) for e in entries]


def test_a_field_changed_on_both_sides_is_a_conflict_until_chosen(region_url, laptop):
    row = _allocation_id(region_url)
    base = _read(region_url, _get(Allocation, row, "agreed"))
    _edit(laptop, _set(Allocation, row, agreed=111_111_00))
    _edit(region_url, _set(Allocation, row, agreed=222_222_00))
    before = _state(region_url)

    result = offline.checkin(laptop)
    assert not result.checked_in
    [conflict] = result.conflicts
    assert conflict.key.startswith(f"allocation:{row}:agreed@")
    assert conflict.record.startswith("Allocation ")
    assert (conflict.yours, conflict.theirs) == ("£111,111", "£222,222")
    assert conflict.base == (f"£{base // 100:,}" if base is not None else "")
    assert conflict.theirs_by and conflict.theirs_at is not None
    assert _state(region_url) == before  # nothing written
    assert _read(laptop, _get(Allocation, row, "agreed")) == 111_111_00  # file untouched

    result = offline.checkin(laptop, {conflict.key: "yours"})
    assert result.checked_in, result.message
    assert _read(region_url, _get(Allocation, row, "agreed")) == 111_111_00


def test_theirs_keeps_the_server_value_and_a_stale_choice_is_a_new_conflict(region_url, laptop):
    row = _allocation_id(region_url)
    _edit(laptop, _set(Allocation, row, agreed=1_000_00, notes="offline note"))
    _edit(region_url, _set(Allocation, row, agreed=2_000_00))
    [shown] = offline.plan_checkin(laptop).conflicts
    # Someone changes it again on the server after the conflict was shown.
    _edit(region_url, _set(Allocation, row, agreed=3_000_00))

    result = offline.checkin(laptop, {shown.key: "theirs"})
    assert not result.checked_in
    [again] = result.conflicts
    assert again.key != shown.key and again.theirs == "£3,000"
    assert result.unused_choices == (shown.key,)

    result = offline.checkin(laptop, {again.key: "theirs"})
    assert result.checked_in, result.message
    assert _read(region_url, _get(Allocation, row, "agreed")) == 3_000_00
    assert _read(region_url, _get(Allocation, row, "notes")) == "offline note"


def test_agreement_status_is_merged_field_by_field(region_url, laptop):
    row = _read(region_url, lambda s: s.scalars(sa.select(Agreement.id)).first())
    _edit(laptop, _set(Agreement, row, status=AgreementStatus.AGREED))
    _edit(region_url, _set(Agreement, row, notes="server note"))
    result = offline.checkin(laptop)
    assert result.checked_in, result.message
    assert _read(region_url, _get(Agreement, row, "status")) is AgreementStatus.AGREED
    assert _read(region_url, _get(Agreement, row, "notes")) == "server note"


# -- new records -----------------------------------------------------------------------------


def _new_risk(reference: str, description: str):  # noqa: ANN202
    def add(session):  # noqa: ANN001, ANN202
        from dom_desk.domain.risks import add_risk

        return add_risk(session, reference, description, Level.H, Level.M).id

    return add


def test_new_risks_on_both_sides_are_both_kept_with_distinct_ids(region_url, laptop):
    mine = _edit(laptop, _new_risk("R-LAP", "Laptop risk"))
    theirs = _edit(region_url, _new_risk("R-SRV", "Server risk"))
    assert mine == theirs  # each side numbered its new risk the same

    result = offline.checkin(laptop)
    assert result.checked_in, result.message
    risks = _read(
        region_url,
        lambda s: dict(s.execute(sa.select(Risk.reference, Risk.id)).all()),
    )
    assert {"R-LAP", "R-SRV"} <= risks.keys()
    assert risks["R-LAP"] != risks["R-SRV"]
    # The laptop's audit entry for its new risk names the risk's server id.
    inserted = _read(
        region_url,
        lambda s: s.scalars(
            sa.select(AuditEntry.entity_id).where(
                AuditEntry.entity == "risk", AuditEntry.action == "insert"
            )
        ).all(),
    )
    assert risks["R-LAP"] in inserted and risks["R-SRV"] in inserted


def test_a_new_risk_with_the_same_reference_on_both_sides_is_a_conflict(region_url, laptop):
    _edit(laptop, _new_risk("R99", "Laptop's version"))
    _edit(region_url, _new_risk("R99", "Server's version"))
    result = offline.checkin(laptop)
    [conflict] = result.conflicts
    assert conflict.key.startswith("risk:new") and ":reference@" in conflict.key
    assert "taken on both sides" in conflict.kind

    result = offline.checkin(laptop, {conflict.key: "theirs"})
    assert result.checked_in, result.message
    described = _read(
        region_url,
        lambda s: s.scalars(sa.select(Risk.description).where(Risk.reference == "R99")).all(),
    )
    assert described == ["Server's version"]


def test_a_new_provider_offline_with_allocations_pointing_at_it_is_remapped(region_url, laptop):
    # The server takes provider and agreement ids the laptop will also use.
    def server_side(session):  # noqa: ANN001, ANN202
        session.add(
            Provider(id=None, name="Server Provider", kind=ProviderKind.VCS, sector=Sector.THIRD)
        )

    _edit(region_url, server_side)

    def laptop_side(session):  # noqa: ANN001, ANN202
        from dom_desk.storage.audit import fresh_id

        template = session.scalars(sa.select(Allocation).order_by(Allocation.id)).first()
        provider = Provider(
            id=fresh_id(session, Provider),
            name="Laptop Provider",
            kind=ProviderKind.VCS,
            sector=Sector.THIRD,
        )
        session.add(provider)
        session.flush()
        agreement = Agreement(
            id=fresh_id(session, Agreement),
            provider_id=provider.id,
            kind=template.agreement.kind,
            title="Laptop SLA",
            year_id=template.year_id,
        )
        session.add(agreement)
        session.flush()
        allocation = Allocation(
            id=fresh_id(session, Allocation),
            year_id=template.year_id,
            agreement_id=agreement.id,
            baseline=50_000_00,
            agreed=48_000_00,
        )
        session.add(allocation)
        session.flush()
        return provider.id, agreement.id, allocation.id

    laptop_ids = _edit(laptop, laptop_side)
    server_provider = _read(
        region_url,
        lambda s: s.scalar(sa.select(Provider.id).where(Provider.name == "Server Provider")),
    )
    assert laptop_ids[0] == server_provider  # the same id, two different providers

    result = offline.checkin(laptop)
    assert result.checked_in, result.message
    assert result.written.added == 3

    def found(session):  # noqa: ANN001, ANN202
        provider = session.scalar(sa.select(Provider).where(Provider.name == "Laptop Provider"))
        agreement = session.scalar(sa.select(Agreement).where(Agreement.title == "Laptop SLA"))
        allocation = session.scalar(
            sa.select(Allocation).where(Allocation.agreement_id == agreement.id)
        )
        return provider.id, agreement.provider_id, agreement.id, allocation.agreed

    provider_id, agreement_provider, agreement_id, agreed = _read(region_url, found)
    assert provider_id != server_provider
    assert agreement_provider == provider_id
    assert agreed == 48_000_00
    assert (
        _read(
            region_url,
            lambda s: s.scalar(sa.select(Provider.name).where(Provider.id == server_provider)),
        )
        == "Server Provider"
    )
    # The refreshed file holds the server's ids.
    assert _read(laptop, found)[0] == provider_id


# -- deletions --------------------------------------------------------------------------------


def _agreement_with_allocation(where) -> tuple[int, int]:  # noqa: ANN001
    return _read(
        where,
        lambda s: s.execute(
            sa.select(Allocation.agreement_id, Allocation.id).order_by(Allocation.id)
        ).first(),
    )


def _delete(model, row_id: int):  # noqa: ANN001, ANN202
    def change(session):  # noqa: ANN001, ANN202
        session.delete(session.get(model, row_id))

    return change


def _delete_agreement(row_id: int):  # noqa: ANN202
    def change(session):  # noqa: ANN001, ANN202
        from dom_desk.models import Competition, PaymentRule, ServiceLine

        for model in (Allocation, ServiceLine, PaymentRule):
            for record in session.scalars(sa.select(model).where(model.agreement_id == row_id)):
                session.delete(record)
        for record in session.scalars(
            sa.select(Competition).where(Competition.agreement_id == row_id)
        ):
            record.agreement_id = None
        session.flush()
        session.delete(session.get(Agreement, row_id))

    return change


def test_an_agreement_deleted_on_the_server_and_edited_offline_is_a_conflict(region_url, laptop):
    agreement, _allocation = _agreement_with_allocation(region_url)
    status = _read(region_url, _get(Agreement, agreement, "status"))
    signed = AgreementStatus.DRAFT if status is AgreementStatus.SIGNED else AgreementStatus.SIGNED
    _edit(laptop, _set(Agreement, agreement, status=signed))
    _edit(region_url, _delete_agreement(agreement))
    before = _state(region_url)

    result = offline.checkin(laptop)
    assert not result.checked_in
    [conflict] = result.conflicts
    assert conflict.key.startswith(f"agreement:{agreement}:record@")
    assert conflict.theirs == "deleted" and "Status" in conflict.yours
    assert _state(region_url) == before

    # Yours: the agreement comes back, with what was deleted with it.
    result = offline.checkin(laptop, {conflict.key: "yours"})
    assert result.checked_in, result.message
    assert _read(region_url, _get(Agreement, agreement, "status")) is signed
    assert (
        _read(
            region_url,
            lambda s: s.scalar(
                sa.select(sa.func.count()).where(Allocation.agreement_id == agreement)
            ),
        )
        == _read(
            laptop,
            lambda s: s.scalar(
                sa.select(sa.func.count()).where(Allocation.agreement_id == agreement)
            ),
        )
        > 0
    )


def test_accepting_the_servers_deletion_drops_the_offline_edit(region_url, laptop):
    agreement, _allocation = _agreement_with_allocation(region_url)
    _edit(laptop, _set(Agreement, agreement, notes="edited offline"))
    _edit(region_url, _delete_agreement(agreement))
    [conflict] = offline.plan_checkin(laptop).conflicts
    result = offline.checkin(laptop, {conflict.key: "theirs"})
    assert result.checked_in, result.message
    assert _read(region_url, lambda s: s.get(Agreement, agreement)) is None


def test_a_record_deleted_offline_and_edited_on_the_server_is_a_conflict(region_url, laptop):
    agreement, _allocation = _agreement_with_allocation(region_url)
    _edit(laptop, _delete_agreement(agreement))
    _edit(region_url, _set(Agreement, agreement, notes="the server's note"))
    [conflict] = offline.checkin(laptop).conflicts
    assert conflict.yours == "deleted" and "Notes" in conflict.theirs
    result = offline.checkin(laptop, {conflict.key: "theirs"})
    assert result.checked_in, result.message
    assert _read(region_url, _get(Agreement, agreement, "notes")) == "the server's note"


def test_a_deletion_on_one_side_only_is_applied(region_url, laptop):
    risk = _read(region_url, lambda s: s.scalars(sa.select(Risk.id)).first())
    _edit(laptop, _delete(Risk, risk))
    result = offline.checkin(laptop)
    assert result.checked_in and result.written.deleted == 1
    assert _read(region_url, lambda s: s.get(Risk, risk)) is None


# -- repeats and interruptions -----------------------------------------------------------------


def test_a_repeated_checkin_changes_nothing_twice(region_url, laptop, tmp_path):
    row = _allocation_id(region_url)
    _edit(laptop, _set(Allocation, row, agreed=777_00))
    kept = tmp_path / "kept.domdesk"
    kept.write_bytes(laptop.read_bytes())  # the file as it was before its check-in
    assert offline.checkin(laptop).checked_in
    after = _state(region_url)

    again = offline.checkin(kept)  # the same check-out brought again
    assert again.already_checked_in and not again.checked_in
    assert _state(region_url) == after
    # The file was refreshed: its next check-in is a new one, with nothing to bring.
    assert offline.plan_checkin(kept).yours.total == 0


def test_a_checkin_killed_midway_leaves_the_server_as_it_was_and_a_retry_completes(
    region_url, laptop
):
    row = _allocation_id(region_url)
    _edit(laptop, _set(Allocation, row, agreed=424_242_00))
    _edit(laptop, _new_risk("R-KILL", "Added offline"))
    before = _state(region_url)
    # Hold the table the check-in writes last (reading it is still allowed), so it stops
    # after all its other writes, mid-transaction, waiting.
    address = parse_address(region_url)
    engine = sa.create_engine(
        address.sqlalchemy_url(), connect_args={"options": f"-c search_path={address.schema}"}
    )
    watcher = sa.create_engine(address.sqlalchemy_url(), isolation_level="AUTOCOMMIT")
    blocker = engine.connect()
    blocker.exec_driver_sql("LOCK TABLE offline_checkin IN SHARE MODE")
    process = subprocess.Popen(
        [sys.executable, "-m", "dom_desk", "checkin", str(laptop)],
        cwd=REPO,
        env={**os.environ, "DOM_DESK_HOME": str(laptop.parent / "home")},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            with watcher.connect() as watching:  # its own transaction: fresh statistics
                waiting = watching.exec_driver_sql(
                    "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                    "AND application_name LIKE 'DOM Desk%%'"
                ).scalar()
            if waiting:
                break
            assert process.poll() is None, process.communicate()
            assert time.monotonic() < deadline, "the check-in never reached its last write"
            time.sleep(0.05)
        process.kill()
        process.wait(10)
    finally:
        blocker.rollback()
        blocker.close()
        engine.dispose()
        watcher.dispose()
    # The server waits for the dead client's backend to end.
    time.sleep(0.5)
    assert _state(region_url) == before

    result = offline.checkin(laptop)
    assert result.checked_in, result.message
    assert _read(region_url, _get(Allocation, row, "agreed")) == 424_242_00
    assert (
        _read(
            region_url,
            lambda s: s.scalar(sa.select(sa.func.count()).where(Risk.reference == "R-KILL")),
        )
        == 1
    )


def test_the_command_line_lists_conflicts_and_exits_1_until_they_are_chosen(
    region_url, laptop, capsys
):
    from dom_desk.cli import main

    row = _allocation_id(region_url)
    _edit(laptop, _set(Allocation, row, agreed=5_00))
    _edit(region_url, _set(Allocation, row, agreed=6_00))
    assert main(["conflicts", str(laptop)]) == 1
    out = capsys.readouterr().out
    assert "yours:  £5" in out and "theirs: £6" in out
    key = next(line.split()[-1] for line in out.splitlines() if "key:" in line)
    assert main(["checkin", str(laptop), "--dry-run", "--theirs", key]) == 0
    assert main(["checkin", str(laptop)]) == 1
    assert "1 conflict" in capsys.readouterr().err
    assert main(["checkin", str(laptop), "--theirs", key]) == 0
    assert "Checked in" in capsys.readouterr().out
    assert _read(region_url, _get(Allocation, row, "agreed")) == 6_00


def test_a_thousand_offline_changes_check_in(region_url, laptop, capsys):
    def many(session):  # noqa: ANN001, ANN202
        from dom_desk.models import Submission, Target

        targets = session.scalars(sa.select(Target).order_by(Target.id)).all()
        for target in targets:
            target.notes = "revised offline"
        wanted = 1000 - len(targets)
        submissions = session.scalars(
            sa.select(Submission).order_by(Submission.id).limit(wanted)
        ).all()
        for submission in submissions:
            submission.completed_by = "checked offline"
        return len(targets) + len(submissions)

    changed = _edit(laptop, many)
    assert changed == 1000
    started = time.monotonic()
    result = offline.checkin(laptop)
    seconds = time.monotonic() - started
    assert result.checked_in, result.message
    assert result.written.changed == 1000
    with capsys.disabled():
        print(f"\n[offline] check-in of {changed} offline changes: {seconds:.2f} s")
