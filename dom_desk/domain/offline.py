"""Working offline: a region checked out of the team server as an ordinary workbook file,
edited on a laptop with no network, and checked back in by a three-way merge.

``checkout(url, target)`` writes the region to ``target`` (one consistent snapshot) with
its base kept inside it (``storage.offline_store``) and a record of where it came from.
``plan_checkin(path)`` says what a check-in would do: what each side changed since the
check-out and every **conflict** (the same field changed on both sides to different
values, a record deleted on one side and changed on the other, a unique key such as a
risk's reference taken on both), side by side: base, yours, theirs, and who changed
theirs and when. ``checkin(path, choices)`` merges (``storage.merge``) in ONE server
transaction holding the region's check-in lock; while any conflict has no choice,
nothing is written and the result lists them. Never resolved by time or by guess.

A check-in records the check-out's token on the server in the same transaction, so one
repeated (after a lost connection, a killed process) changes nothing twice; it says it
was checked in already and refreshes the file. After a check-in the file is **refreshed
from the server** (a new base, a new token) rather than marked as spent: the laptop can
go straight back to work offline, and the file holds everyone's latest figures. The
file as it was is backed up first (``before-checkin``), so nothing of the laptop's is
ever lost by a check-in.

The laptop's file must not be open for editing elsewhere (the window closes it first):
a check-in takes its editing lock and replaces it.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from dom_desk.domain.audit_trail import (
    _names,
    _spellings,
    _titles_and_kinds,
    entity_words,
    shown_value,
    table_of,
)
from dom_desk.domain.values import counted
from dom_desk.errors import WorkbookError
from dom_desk.models import AuditEntry, Base, Risk
from dom_desk.storage import audit, backups, offline_store
from dom_desk.storage.merge import (
    DELETED_THEIRS,
    DELETED_YOURS,
    FIELD,
    UNIQUE,
    Clash,
    Counts,
    MergePlan,
    merge,
)
from dom_desk.storage.retry import retrying
from dom_desk.storage.server_address import parse_address
from dom_desk.storage.server_workbook import ServerWorkbook, open_server
from dom_desk.storage.workbook import Workbook, open_workbook

#: Unique keys the domain keeps that the database does not (so a merge must): a risk's
#: reference is the register's number for it.
DOMAIN_UNIQUE: dict[str, list[tuple[str, ...]]] = {Risk.__tablename__: [("reference",)]}

YOURS = "yours"
THEIRS = "theirs"


@dataclass(frozen=True)
class OfflineCopy:
    """Where a checked-out workbook came from."""

    #: The region's URL on the server, without any password.
    server: str
    region: str
    checked_out_at: datetime
    checked_out_by: str
    token: str
    machine: str = ""


@dataclass(frozen=True)
class Conflict:
    """One thing only the user can decide, shown side by side."""

    #: What to pass in ``checkin(choices={key: "yours" | "theirs"})``: ``table:id:field``
    #: and a digest of theirs as shown (a choice against an older theirs no longer fits).
    key: str
    #: The record in words: "Allocation HMP Manchester, Custody".
    record: str
    #: The field as the window titles it ("Amount"), "Record" for a deletion.
    field: str
    base: str
    yours: str
    theirs: str
    theirs_by: str
    theirs_at: datetime | None
    #: What happened, in words: "changed on both sides", "deleted on the server", ...
    kind: str
    note: str = ""


@dataclass(frozen=True)
class SideCounts:
    added: int = 0
    changed: int = 0
    deleted: int = 0
    #: (kind of record in words, its counts), for the kinds changed.
    by_kind: tuple[tuple[str, Counts], ...] = ()

    @property
    def total(self) -> int:
        return self.added + self.changed + self.deleted

    def sentence(self) -> str:
        if not self.total:
            return "no changes"
        return (
            f"{counted(self.added, 'record')} added, {self.changed:,} changed, "
            f"{self.deleted:,} deleted"
        )


@dataclass(frozen=True)
class CheckinPlan:
    """What a check-in would do now."""

    copy: OfflineCopy
    yours: SideCounts
    theirs: SideCounts
    conflicts: list[Conflict] = field(default_factory=list)
    #: The server already took this check-out (a check-in would only refresh the file).
    already_checked_in: bool = False
    #: Choices given that fit no conflict now (theirs changed since they were shown).
    unused_choices: tuple[str, ...] = ()

    def summary(self) -> str:
        if self.already_checked_in:
            return f"This copy of {self.copy.region} was checked in already."
        if self.conflicts:
            return (
                f"{counted(len(self.conflicts), 'conflict')} to decide before this copy of "
                f"{self.copy.region} can be checked in (yours: {self.yours.sentence()}; "
                f"the server's: {self.theirs.sentence()})."
            )
        return (
            f"Ready to check in to {self.copy.region}: yours {self.yours.sentence()}; "
            f"the server's since check-out {self.theirs.sentence()}; no conflicts."
        )


@dataclass(frozen=True)
class CheckinResult:
    """What a check-in did: checked in (and the file refreshed) or nothing written."""

    checked_in: bool
    already_checked_in: bool
    conflicts: list[Conflict]
    #: Records written to the server: added, changed, deleted.
    written: SideCounts
    #: The refreshed file's new check-out (None when nothing was checked in).
    copy: OfflineCopy | None
    seconds: float
    unused_choices: tuple[str, ...] = ()
    message: str = ""


# -- check-out ------------------------------------------------------------------------------


def _server(url: str, password: str | None, read_only: bool = False) -> ServerWorkbook:
    address = parse_address(url)
    if password:
        address = address.with_password(password)
    return open_server(address, read_only=read_only)


def checkout(url: str, target: Path, password: str | None = None) -> OfflineCopy:
    """Writes the region ``url`` names (``?region=``) to a new workbook file at
    ``target`` to work on offline, with its base; refuses an existing file."""
    target = Path(target)
    if target.exists():
        raise WorkbookError(f"'{target.name}' already exists; choose another name.")
    if not target.parent.is_dir():
        raise WorkbookError(f"The folder '{target.parent}' does not exist.")
    server = _server(url, password, read_only=True)
    try:
        record = _new_record(server)
        try:
            offline_store.write_checkout(server.engine, target, record)
        except Exception as exc:
            failure = server._failure(exc)
            if failure is None:
                raise
            raise failure from exc
    finally:
        server.close()
    return _copy_of(record)


def _new_record(server: ServerWorkbook) -> dict[str, Any]:
    return {
        "server": server.address.for_recent(),
        "region": server.name,
        "token": str(uuid.uuid4()),
        "checked_out_at": audit.now(),
        "checked_out_by": audit.current_user(),
        "machine": audit.current_machine(),
    }


def _copy_of(record: Mapping[str, Any]) -> OfflineCopy:
    return OfflineCopy(
        record["server"],
        record["region"],
        record["checked_out_at"],
        record["checked_out_by"],
        record["token"],
        record.get("machine") or "",
    )


def offline_copy_of(wb: Workbook) -> OfflineCopy | None:
    """Where ``wb`` was checked out from, or None if it is not an offline copy."""
    if wb.is_server:
        return None
    with wb.session() as session:
        record = offline_store.offline_record(session.connection())
    return _copy_of(record) if record else None


# -- check-in -------------------------------------------------------------------------------


def plan_checkin(
    path: Path, password: str | None = None, choices: Mapping[str, str] | None = None
) -> CheckinPlan:
    """What checking ``path`` in would do now (nothing is written anywhere)."""
    return retrying(lambda: _run(Path(path), dict(choices or {}), password, commit=False))[0]


def checkin(
    path: Path, choices: Mapping[str, str] | None = None, password: str | None = None
) -> CheckinResult:
    """Checks ``path`` in: merged three ways into the server in one transaction, then the
    file refreshed from the server. While a conflict has no choice, nothing is written."""
    started = time.monotonic()
    plan, written, copy = retrying(lambda: _run(Path(path), dict(choices or {}), password, True))
    seconds = time.monotonic() - started
    if plan.already_checked_in:
        message = (
            f"This copy of {plan.copy.region} was checked in already; the file now holds "
            "the server's latest figures."
        )
        return CheckinResult(False, True, [], SideCounts(), copy, seconds, message=message)
    if plan.conflicts:
        return CheckinResult(
            False,
            False,
            plan.conflicts,
            SideCounts(),
            None,
            seconds,
            plan.unused_choices,
            plan.summary() + " Nothing was written.",
        )
    message = (
        f"Checked in to {plan.copy.region}: {written.sentence()} on the server. The file "
        "now holds the server's latest figures and can go on being used offline."
    )
    return CheckinResult(True, False, [], written, copy, seconds, plan.unused_choices, message)


class _FileSide:
    """The laptop's file read for a check-in: its rows, its base's and what it did."""

    def __init__(self, wb: Workbook) -> None:
        with wb.session() as session:
            connection = session.connection()
            record = offline_store.offline_record(connection)
            if record is None:
                raise WorkbookError(
                    f"'{wb.path.name}' is not an offline copy of a server region "
                    "(dom-desk checkout makes one), so there is nothing to check in."
                )
            self.record = record
            self.rows = offline_store.read_rows(connection)
            self.entries = offline_store.audit_after(connection, record["base_mark"])
            self.mark = offline_store.newest_audit(connection)
            blob = offline_store.base_blob(connection)
        with offline_store.base_connection(blob) as base:
            self.base = offline_store.read_rows(base)


def _run(
    path: Path, choices: dict[str, str], password: str | None, commit: bool
) -> tuple[CheckinPlan, SideCounts, OfflineCopy | None]:
    wb = open_workbook(path, read_only=not commit)
    try:
        laptop = _FileSide(wb)
        copy = _copy_of(laptop.record)
        server = _server(copy.server, password, read_only=not commit)
        try:
            if commit and (laptop.entries or laptop.rows != laptop.base):
                backups.make_backup(wb.path, "before-checkin")
            plan, written, done = _merge_on_server(server, wb, laptop, copy, choices, commit)
            if done is not None and laptop.mark > done["file_mark"]:
                raise WorkbookError(
                    f"This copy of {copy.region} was checked in already (by "
                    f"{done['checked_in_by']}, {_local(done['checked_in_at']):%d/%m/%Y %H:%M}) "
                    "and has changes made since, which cannot be merged against it: save a "
                    "copy of it, check the region out again and make them there."
                )
            refreshed = None
            if commit and (done is not None or not plan.conflicts):
                wb.engine.dispose()
                record = _new_record(server)
                offline_store.write_checkout(server.engine, wb.path, record)
                refreshed = _copy_of(record)
        finally:
            server.close()
    finally:
        wb.close()
    return plan, written, refreshed


def _merge_on_server(
    server: ServerWorkbook,
    wb: Workbook,
    laptop: _FileSide,
    copy: OfflineCopy,
    choices: dict[str, str],
    commit: bool,
) -> tuple[CheckinPlan, SideCounts, dict[str, Any] | None]:
    with server.session() as session:
        connection = session.connection()
        if commit:
            offline_store.lock_region(connection)
        done = offline_store.checked_in(connection, copy.token)
        if done is not None:
            plan = CheckinPlan(copy, SideCounts(), SideCounts(), already_checked_in=True)
            return plan, SideCounts(), done
        theirs = offline_store.read_rows(connection)
        placeholders = iter(range(-1, -(10**9), -1))

        def allocate(table: str) -> int:
            if commit:
                return offline_store.next_ids(connection, table, 1)[0]
            return next(placeholders)

        merged = merge(
            offline_store.merged_tables(),
            laptop.base,
            laptop.rows,
            theirs,
            allocate,
            choices,
            DOMAIN_UNIQUE,
        )
        conflicts = _described(merged.conflicts, session, wb, laptop)
        plan = CheckinPlan(
            copy,
            _side(merged.yours),
            _side(merged.theirs),
            conflicts,
            unused_choices=tuple(merged.unused_choices),
        )
        written = merged.written()
        written_counts = SideCounts(written.added, written.changed, written.deleted)
        if not commit or conflicts:
            return plan, written_counts, None
        offline_store.apply_plan(connection, merged)
        entries = _remapped_entries(connection, laptop, merged)
        entries.append(
            {
                **audit._row("checkin", "region", None, note=_checkin_note(copy, laptop)),
                "id": offline_store.next_ids(connection, AuditEntry.__tablename__, 1)[0],
            }
        )
        offline_store.append_audit(connection, entries)
        offline_store.record_checkin(
            connection,
            {
                "token": copy.token,
                "checked_in_at": audit.now(),
                "checked_in_by": audit.current_user(),
                "machine": audit.current_machine(),
                "file_mark": laptop.mark,
                "summary": plan.summary(),
            },
        )
        return plan, written_counts, None


def _checkin_note(copy: OfflineCopy, laptop: _FileSide) -> str:
    return (
        f"Checked in the copy taken offline by {copy.checked_out_by} on "
        f"{_local(copy.checked_out_at):%d/%m/%Y %H:%M}: {counted(len(laptop.entries), 'change')}"
        " made offline."
    )


def _local(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC).astimezone().replace(tzinfo=None)


def _side(counts: dict[str, Counts]) -> SideCounts:
    return SideCounts(
        sum(c.added for c in counts.values()),
        sum(c.changed for c in counts.values()),
        sum(c.deleted for c in counts.values()),
        tuple((entity_words(table), c) for table, c in counts.items()),
    )


# -- the laptop's audit trail, in the server's ids ------------------------------------------


def _remapped_entries(connection: Any, laptop: _FileSide, plan: MergePlan) -> list[dict]:
    """The laptop's audit entries since check-out, with the server's ids: of the entries
    themselves (from the server's sequence), of the records they name (a record added
    offline by its new id; one added and deleted offline, never sent, by an id no other
    record will have) and of records their foreign-key values name."""
    tables = Base.metadata.tables
    numbered = {t.name for t in offline_store.merged_tables() if "id" in t.c}
    spare: dict[tuple[str, int], int] = {}

    def server_id(table: str, laptop_id: int) -> int:
        if table not in numbered or laptop_id in laptop.base.get(table, {}):
            return laptop_id
        mapped = plan.ids.get(table, {}).get(laptop_id)
        if mapped is not None:
            return mapped
        if (table, laptop_id) not in spare:
            spare[(table, laptop_id)] = offline_store.next_ids(connection, table, 1)[0]
        return spare[(table, laptop_id)]

    ids = offline_store.next_ids(connection, AuditEntry.__tablename__, len(laptop.entries))
    entries = []
    for entry, new_id in zip(laptop.entries, ids, strict=True):
        row = dict(entry, id=new_id)
        table = table_of(entry["entity"])
        if entry["entity_id"] is not None:
            row["entity_id"] = server_id(table, entry["entity_id"])
        column = tables[table].c.get(entry["field"]) if table in tables else None
        parents = [fk.column.table.name for fk in column.foreign_keys] if column is not None else []
        for side in ("old", "new"):
            value = entry[side]
            if parents and value is not None and value.isdigit():
                row[side] = str(server_id(parents[0], int(value)))
        entries.append(row)
    return entries


# -- conflicts in words ---------------------------------------------------------------------


_KINDS = {
    FIELD: "changed on both sides",
    DELETED_THEIRS: "deleted on the server, changed offline",
    DELETED_YOURS: "deleted offline, changed on the server",
    UNIQUE: "taken on both sides",
}


def _described(
    clashes: list[Clash], server: Session, wb: Workbook, laptop: _FileSide
) -> list[Conflict]:
    if not clashes:
        return []
    with wb.session() as mine:
        return [_conflict(c, server, mine) for c in clashes]


def _title(table: str, column: str) -> str:
    found = _titles_and_kinds().get((table, column))
    return found[0] if found else column.replace("_id", "").replace("_", " ").capitalize()


def _value(session: Session, table: str, column: str, value: Any) -> str:
    if value is None:
        return ""
    model = Base.metadata.tables[table]
    if column in model.c and model.c[column].foreign_keys and isinstance(value, int):
        parent = next(iter(model.c[column].foreign_keys)).column.table.name
        return _names(session, parent, [value]).get(value) or f"#{value}"
    found = _titles_and_kinds().get((table, column))
    return shown_value(found[1] if found else None, audit.audit_text(value))


def _record(session: Session, table: str, key: Any) -> str:
    name = _names(session, table, [key]).get(key) if isinstance(key, int) else None
    return f"{entity_words(table)} {name or _key_text(key)}"


def _key_text(key: Any) -> str:
    return (
        "-".join(str(getattr(k, "value", k)) for k in key)
        if isinstance(key, tuple)
        else (f"#{key}" if isinstance(key, int) else str(key))
    )


def _changed_fields(table: str, before: dict | None, after: dict | None) -> str:
    if before is None or after is None:
        return ""
    names = [_title(table, c) for c in after if c not in ("id",) and after.get(c) != before.get(c)]
    return ", ".join(names)


def _who(server: Session, table: str, key: Any, column: str | None, action: str | None) -> Any:
    if not isinstance(key, int):
        return None
    query = select(AuditEntry.user, AuditEntry.machine, AuditEntry.at).where(
        AuditEntry.entity.in_(_spellings(table)), AuditEntry.entity_id == key
    )
    if column:
        query = query.where(AuditEntry.field == column)
    if action:
        query = query.where(AuditEntry.action == action)
    return server.execute(query.order_by(AuditEntry.id.desc()).limit(1)).first()


def _conflict(clash: Clash, server: Session, mine: Session) -> Conflict:
    table = clash.table
    kind = _KINDS[clash.kind]
    if clash.kind == FIELD:
        record = _record(server, table, clash.key)
        label = _title(table, clash.field)
        base = _value(server, table, clash.field, clash.base)
        yours = _value(server, table, clash.field, clash.yours)
        theirs = _value(server, table, clash.field, clash.theirs)
        who = _who(server, table, clash.key, clash.field, None)
    elif clash.kind == DELETED_THEIRS:
        record = _record(mine, table, clash.key)
        label = "Record"
        base = "as checked out"
        changed = _changed_fields(table, clash.base, clash.yours)
        yours = f"changed: {changed}" if changed else "records under it changed or added"
        theirs = "deleted"
        who = _who(server, table, clash.key, None, "delete")
    elif clash.kind == DELETED_YOURS:
        record = _record(server, table, clash.key)
        label = "Record"
        base = "as checked out"
        yours = "deleted"
        changed = _changed_fields(table, clash.base, clash.theirs)
        theirs = f"changed: {changed}" if changed else "records under it changed or added"
        who = _who(server, table, clash.key, None, None)
    else:
        columns = clash.field.split("+")
        label = " + ".join(_title(table, c) for c in columns)
        if clash.new:
            name = _names(mine, table, [clash.key]).get(clash.key) or ""
            record = f"New {entity_words(table).lower()} {name}".rstrip()
            held = clash.theirs or {}
            shown = ", ".join(_value(server, table, c, held.get(c)) for c in columns)
            base = ""
            yours = f"new record with {label} {shown}"
            theirs = f"{_record(server, table, clash.holder)} already has it"
        else:
            record = _record(server, table, clash.key)
            base = ", ".join(
                _value(server, table, c, v) for c, v in zip(columns, clash.base, strict=True)
            )
            yours = ", ".join(
                _value(server, table, c, v) for c, v in zip(columns, clash.yours, strict=True)
            )
            theirs = f"{_record(server, table, clash.holder)} has it"
        who = _who(server, table, clash.holder, None, None)
    return Conflict(
        clash.choice_key,
        record,
        label,
        base,
        yours,
        theirs,
        (f"{who.user} ({who.machine})" if who.machine else who.user) if who else "",
        _local(who.at) if who else None,
        kind,
        clash.note,
    )
