"""The competitions timetable and key dates out: to xlsx, and to iCalendar (.ics) so they
reach the DOM's own calendar.

Each key date is an all-day event whose UID names what it is (the contract's notice
deadline, a competition's bids-due stage), not when: re-importing a later export moves
the event rather than adding a second one. Fuzzy dates go in at their best estimate with
the wording in the title.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from sqlalchemy.orm import Session

from dom_desk.domain import competitions, keydates
from dom_desk.domain.fuzzy_dates import is_fuzzy
from dom_desk.domain.keydates import KeyDate, bucket_of
from dom_desk.domain.periods import parse_date
from dom_desk.domain.region import region, today
from dom_desk.domain.values import Kind
from dom_desk.errors import ValidationError
from dom_desk.exports.xlsx_tables import Sheet, write_sheets
from dom_desk.files import atomic_path
from dom_desk.models import Stage
from dom_desk.storage.audit import now
from dom_desk.storage.workbook import Workbook

AREA_NAMES = {
    "contracts": "Contracts",
    "agreements": "Agreements",
    "competitions": "Competitions",
    "milestones": "Milestones",
    "risks": "Risks",
}


def _status(key: KeyDate, on: date) -> str:
    return "Done" if key.done else bucket_of(key, on).value


def _stage_cell(text: str) -> date | str:
    """An exact date as a real date cell, so it sorts and formats in Excel; wording
    ("Summer 2009", "Tbc") stays as the plan writes it."""
    try:
        return parse_date(text) or text
    except ValidationError:
        return text


def _timetable_sheet(session: Session) -> Sheet:
    """The competitions timetable as the plan prints it, every stage a column."""
    headers = [
        "Subject",
        "Type of competition",
        "Current contract/SLA expires",
        *[s.label for s in Stage],
    ]
    rows = [
        [row.subject, row.kind, row.expiry, *[_stage_cell(s[1]) for s in row.stages]]
        for row in competitions.timetable(session)
    ]
    kinds = [Kind.TEXT] * 3 + [Kind.DATE] * len(Stage)
    return Sheet("Competitions timetable", headers, kinds, rows)


def _key_dates_sheet(session: Session, include_done: bool = True) -> Sheet:
    on = today(session)
    rows = [
        [k.when, k.text, k.what, AREA_NAMES.get(k.area, k.area), _status(k, on)]
        for k in keydates.key_dates(session)
        if include_done or not k.done
    ]
    return Sheet(
        "Key dates",
        ["Date", "As written", "What", "Area", "Status"],
        [Kind.DATE, Kind.TEXT, Kind.TEXT, Kind.TEXT, Kind.TEXT],
        rows,
    )


def export_xlsx(wb: Workbook, path: Path) -> Path:
    """Two sheets: the competitions timetable and every key date with its status."""
    with wb.session() as session:
        sheets = [_timetable_sheet(session), _key_dates_sheet(session)]
    return write_sheets(path, sheets)


def uid(key: KeyDate, workbook_uuid: str) -> str:
    """Stable identity of a key date's event: what it is, in which workbook."""
    return f"{key.area}-{key.record_id}-{key.kind}-{key.detail_id or 0}@{workbook_uuid}.domdesk"


def _summary(key: KeyDate) -> str:
    if key.text and is_fuzzy(key.text):
        return f"{key.what} ({key.text}, best estimate)"
    if key.text:
        return f"{key.what} ({key.text})"
    return key.what


def calendar_bytes(wb: Workbook, include_done: bool = False) -> bytes:
    """The key dates as an iCalendar file's bytes (open ones, unless ``include_done``)."""
    with wb.session() as session:
        place = region(session)
        name, workbook_uuid = place.name, place.workbook_uuid
        keys = keydates.key_dates(session)
    return _calendar(name, workbook_uuid, keys, include_done)


def _calendar(name: str, workbook_uuid: str, keys: list[KeyDate], include_done: bool) -> bytes:
    from icalendar import Calendar, Event  # imported only when exporting

    stamp = now()
    calendar = Calendar()
    calendar.add("prodid", "-//DOM Desk//Key dates//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", f"DOM Desk: {name} key dates")
    for key in keys:
        if key.done and not include_done:
            continue
        event = Event()
        event.add("uid", uid(key, workbook_uuid))
        event.add("dtstamp", stamp)
        event.add("dtstart", key.when)
        event.add("dtend", key.when + timedelta(days=1))
        event.add("summary", _summary(key))
        details = [f"{AREA_NAMES.get(key.area, key.area)}: {key.what}"]
        if key.text:
            details.append(f"As written: {key.text}")
        if key.done:
            details.append("Marked done in DOM Desk")
        details.append(f"From the {name} workbook (DOM Desk)")
        event.add("description", "\n".join(details))
        event.add("categories", [AREA_NAMES.get(key.area, key.area)])
        event.add("transp", "TRANSPARENT")
        calendar.add_component(event)
    return calendar.to_ical()


def export_ics(wb: Workbook, path: Path, include_done: bool = False) -> Path:
    """Writes the key dates to ``path`` (atomically)."""
    data = calendar_bytes(wb, include_done)
    with atomic_path(path) as temporary:
        temporary.write_bytes(data)
    return Path(path)


def export_key_dates(wb: Workbook, path: Path) -> Path:
    """By the file's suffix: ``.xlsx`` or ``.ics``."""
    suffix = Path(path).suffix.lower()
    if suffix == ".xlsx":
        return export_xlsx(wb, path)
    if suffix in (".ics", ".ical", ".ifb"):
        return export_ics(wb, path)
    raise ValidationError(f"'{Path(path).name}': export key dates to a .xlsx or .ics file")
