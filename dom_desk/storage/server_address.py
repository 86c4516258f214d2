"""Where a server workbook lives: a ``postgresql://`` URL naming the database and region.

A team server is one PostgreSQL database holding one schema per region
(``region_north_west``) and a read-only ``national`` schema over them. A region on it is
opened by a URL like a file by its path::

    postgresql://alice@commissioning.example:5432/domdesk?region=north-west

The region may be written as its name or its slug (``North West``, ``north-west``). The
password is never kept by DOM Desk: it comes from the URL as typed, from PostgreSQL's own
``.pgpass`` / service file (read by libpq), or from a prompt; ``display`` and
``for_recent`` leave it out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import Path

from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

from dom_desk.errors import WorkbookError

SCHEMES = ("postgresql://", "postgresql+psycopg://", "postgres://")
#: The schema every region's schema is listed in and the national views live in.
NATIONAL_SCHEMA = "national"
REGION_PREFIX = "region_"


def is_server_url(text: str | Path) -> bool:
    """Whether ``text`` names a server workbook rather than a file."""
    return isinstance(text, str) and text.strip().lower().startswith(SCHEMES)


def region_slug(name: str) -> str:
    """``North West`` -> ``north-west``: how a region is written in a URL."""
    return re.sub(r"[^a-z0-9]+", "-", name.casefold()).strip("-")


def region_schema(name: str) -> str:
    """``North West`` (or ``north-west``) -> ``region_north_west``: the region's schema."""
    return REGION_PREFIX + region_slug(name).replace("-", "_")


@dataclass(frozen=True)
class ServerAddress:
    """A database on a PostgreSQL server, and optionally one region in it."""

    url: URL
    region: str | None = None

    @property
    def schema(self) -> str:
        if not self.region:
            raise WorkbookError(
                f"Name the region to open on {self.display}: add ?region=north-west to the URL."
            )
        return region_schema(self.region)

    @property
    def host(self) -> str:
        port = f":{self.url.port}" if self.url.port else ""
        return f"{self.url.host or 'localhost'}{port}"

    @property
    def database(self) -> str:
        return self.url.database or ""

    @property
    def display(self) -> str:
        """The URL as shown and remembered: no password, the region as given."""
        return self.for_recent()

    def for_recent(self) -> str:
        """The URL to keep in Open Recent: everything but the password."""
        user = f"{self.url.username}@" if self.url.username else ""
        # The connection's other settings stay (a service file's ``service=team`` is where
        # the server is; "localhost" in its place would open another one).
        settings = [f"{k}={v}" for k, v in sorted(self.url.query.items()) if k != "password"]
        if self.region:
            settings.append(f"region={region_slug(self.region)}")
        host = self.host if self.url.host or "service" not in self.url.query else ""
        query = "?" + "&".join(settings) if settings else ""
        return f"postgresql://{user}{host}/{self.database}{query}"

    def with_region(self, region: str | None) -> ServerAddress:
        return replace(self, region=region)

    def with_password(self, password: str) -> ServerAddress:
        return replace(self, url=self.url.set(password=password))

    @property
    def has_password(self) -> bool:
        return bool(self.url.password)

    def sqlalchemy_url(self) -> URL:
        """The URL SQLAlchemy connects with (psycopg 3, the region left out)."""
        return self.url


def parse_address(text: str) -> ServerAddress:
    """A ``postgresql://`` URL as typed, checked; WorkbookError in words if it is not one."""
    raw = text.strip()
    if not is_server_url(raw):
        raise WorkbookError(f"'{text}' is not a server address (it should start postgresql://).")
    try:
        url = make_url(raw)
    except ArgumentError as exc:
        raise WorkbookError(f"'{_hidden(raw)}' is not a server address DOM Desk can read.") from exc
    query = dict(url.query)
    region = query.pop("region", None)
    if isinstance(region, tuple):
        region = region[-1]
    if not url.database:
        raise WorkbookError(
            f"'{_hidden(raw)}' names no database: write postgresql://HOST/DATABASE?region=..."
        )
    url = url.set(drivername="postgresql+psycopg", query=query)
    return ServerAddress(url, region or None)


def _hidden(text: str) -> str:
    """A URL with any password replaced, for messages."""
    return re.sub(r"(//[^:/@]+):[^@]*@", r"\1:***@", text)
