"""``ServerWorkbook``: a region on the team server, used exactly like a workbook file.

The domain sees no difference: ``wb.session()`` is one transaction, committed or rolled
back whole, and failures arrive as the same errors in words. What differs is underneath:
no editing lock and no file to watch, SERIALIZABLE transactions, server errors mapped by
SQLSTATE (``server.server_failure``), and Save a copy written from one consistent
snapshot of the region.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path

from sqlalchemy import Engine, func, select
from sqlalchemy.exc import DBAPIError

from dom_desk.errors import DomDeskError, WorkbookError
from dom_desk.storage.server import (
    check_catalog,
    check_revision,
    make_server_engine,
    save_snapshot,
    server_failure,
)
from dom_desk.storage.server_address import ServerAddress, parse_address
from dom_desk.storage.workbook_base import Workbook

log = logging.getLogger(__name__)


class ServerWorkbook(Workbook):
    """A region's schema on the team server."""

    is_server = True

    def __init__(
        self, address: ServerAddress, engine: Engine, read_only: bool = False, name: str = ""
    ) -> None:
        self.address = address
        # ``path`` stays for code that names a workbook by its file: a server region has
        # none, so it is the region's name, which is what messages show.
        name = name or address.region or address.database
        super().__init__(Path(name), engine, read_only, address.for_recent())

    def _failure(
        self, exc: BaseException, touched: Sequence[tuple[str, int | None]] = ()
    ) -> DomDeskError | None:
        named = ", ".join(
            dict.fromkeys(f"{table.replace('_', ' ')} {i}" for table, i in touched if i)
        )
        return server_failure(exc, self.address, self.read_only, what=named, name=self.name)

    def check_still_there(self) -> None:
        """Nothing to watch: a lost server is reported by the statement that meets it."""

    def _checkpoint(self) -> None:
        """The server writes its own log; nothing to copy after a commit."""

    def save_copy(self, target: Path) -> None:
        """Writes the region as it is now, one consistent snapshot, to a workbook file."""
        target = Path(target)
        if target.exists():
            raise WorkbookError(f"'{target.name}' already exists; choose another name.")
        try:
            save_snapshot(self.engine, target)
        except DBAPIError as exc:
            failure = self._failure(exc)
            if failure is None:
                raise
            raise failure from exc
        except OSError as exc:
            raise WorkbookError(f"Could not save a copy to '{target}': {exc.strerror}.") from exc

    def change_mark(self) -> int:
        """A number that grows with every change anyone commits to the region (the newest
        audit entry): the window compares it to see others' changes."""
        from dom_desk.models import AuditEntry

        with self.session() as session:
            return session.scalar(select(func.max(AuditEntry.id))) or 0


def open_server(url: str | ServerAddress, read_only: bool = False) -> ServerWorkbook:
    """Opens a region on the team server by its URL (``postgresql://…?region=…``).

    Refuses in one sentence a server that cannot be reached or refuses the login
    (``server.ServerLoginError``: ask for a password and try again), a database that is
    not a DOM Desk server, a region it does not hold, and a region written by a newer
    version; an older region is upgraded first.
    """
    address = url if isinstance(url, ServerAddress) else parse_address(url)
    schema_name = address.schema
    engine = make_server_engine(address, schema_name, read_only=read_only)
    try:
        name = check_catalog(engine, address)
        check_revision(engine, address, read_only)
    except DomDeskError:
        engine.dispose()
        raise
    except DBAPIError as exc:
        engine.dispose()
        failure = server_failure(exc, address, read_only)
        if failure is None:
            raise
        raise failure from exc
    return ServerWorkbook(address, engine, read_only=read_only, name=name)
