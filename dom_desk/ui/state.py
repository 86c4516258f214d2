"""What the window remembers between runs: geometry, splitters, columns, recent files.

Settings live in an INI file in DOM Desk's data folder (``paths.data_dir()``), so a test
or a portable install (``DOM_DESK_HOME``) gets its own, and nothing leaks between them.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QRect, QSettings
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

from dom_desk import paths

if TYPE_CHECKING:
    from PySide6.QtWidgets import QHeaderView, QSplitter

MAX_RECENT = 8


def settings() -> QSettings:
    return QSettings(str(paths.data_dir() / "settings.ini"), QSettings.Format.IniFormat)


def _bytes(value: object) -> QByteArray | None:
    if isinstance(value, QByteArray) and not value.isEmpty():
        return value
    if isinstance(value, bytes | bytearray) and value:
        return QByteArray(bytes(value))
    return None


# -- recent files ---------------------------------------------------------------------------

#: How a server region is written in the recent list: its URL, never with a password.
SERVER_PREFIXES = ("postgresql://", "postgresql+psycopg://", "postgres://")

#: A recent workbook: a file's path, or a server region's URL (a string).
Location = Path | str


def is_server_location(text: str) -> bool:
    return text.strip().lower().startswith(SERVER_PREFIXES)


def _location(text: str) -> Location:
    return text if is_server_location(text) else Path(text)


def _exists(location: Location) -> bool:
    # A server region cannot be checked without connecting: it stays until it fails.
    return isinstance(location, str) or location.is_file()


def _same(a: Location, b: Location) -> bool:
    if isinstance(a, str) or isinstance(b, str):
        return str(a) == str(b)
    return a.resolve() == b.resolve()


def recent_locations() -> list[Location]:
    """Recent workbooks, newest first: files (leaving out any that no longer exist) and
    server regions by their URL without a password."""
    value = settings().value("files/recent", [])
    if isinstance(value, str):
        value = [value]
    found = [_location(v) for v in value or [] if v]
    return [p for p in found if _exists(p)][:MAX_RECENT]


def recent_files() -> list[Path]:
    """Recent workbook files, newest first, leaving out any that no longer exist."""
    return [p for p in recent_locations() if isinstance(p, Path)]


def add_recent(location: Location) -> None:
    """Remembers a file (by its full path) or a server region (its URL: the caller
    leaves out any password) as the newest recent workbook and the one open last."""
    if isinstance(location, str) and not is_server_location(location):
        location = Path(location)
    if isinstance(location, Path):
        location = location.resolve()
    kept = [p for p in recent_locations() if not _same(p, location)]
    store = settings()
    store.setValue("files/recent", [str(p) for p in [location, *kept][:MAX_RECENT]])
    store.setValue("files/last", str(location))


def clear_recent() -> None:
    store = settings()
    store.remove("files/recent")


def last_location() -> Location | None:
    """The workbook open when DOM Desk last closed: a path or a server URL."""
    value = settings().value("files/last", "")
    return _location(value) if value else None


def last_file() -> Path | None:
    """The workbook file open when DOM Desk last closed (None if it was a server's)."""
    last = last_location()
    return last if isinstance(last, Path) else None


def forget_last_file() -> None:
    settings().remove("files/last")


# -- the last server address ------------------------------------------------------------------


def last_server_address() -> str:
    """The address last typed in File ▸ Open Server Workbook (never with a password)."""
    value = settings().value("server/last_address", "")
    return value if isinstance(value, str) else ""


def remember_server_address(address: str) -> None:
    settings().setValue("server/last_address", address)


# -- geometry -------------------------------------------------------------------------------


def save_window(window: QWidget, state: QByteArray | None = None) -> None:
    store = settings()
    store.setValue("window/geometry", window.saveGeometry())
    if state is not None:
        store.setValue("window/state", state)


#: Below this available width, a first start opens the window maximised.
SMALL_SCREEN_WIDTH = 1600


def restore_window(window: QWidget) -> QByteArray | None:
    """Restores the window's geometry, kept within the screen it will appear on.

    Returns the saved main-window state (toolbars and docks) for the caller to restore.
    Without saved geometry the window takes most of the available screen.
    """
    store = settings()
    geometry = _bytes(store.value("window/geometry"))
    if geometry is None or not window.restoreGeometry(geometry):
        _default_geometry(window)
    else:
        clamp_to_screen(window)
    return _bytes(store.value("window/state"))


def _available(window: QWidget) -> QRect:
    screen = (
        QGuiApplication.screenAt(window.geometry().center())
        or window.screen()
        or QGuiApplication.primaryScreen()
    )
    return screen.availableGeometry()


def _default_geometry(window: QWidget) -> None:
    area = _available(window)
    width, height = int(area.width() * 0.8), int(area.height() * 0.8)
    window.resize(width, height)
    window.move(area.center().x() - width // 2, area.center().y() - height // 2)
    if area.width() < SMALL_SCREEN_WIDTH:
        # A laptop screen has no room to spare: the tables need all of it.
        from PySide6.QtCore import Qt  # here: Qt's namespace is slow to load at start

        window.setWindowState(window.windowState() | Qt.WindowState.WindowMaximized)


def clamp_to_screen(window: QWidget) -> None:
    """Moves and shrinks the window so all of it is on the available screen area."""
    area = _available(window)
    frame = window.frameGeometry()
    width = min(window.width(), area.width() - (frame.width() - window.width()))
    height = min(window.height(), area.height() - (frame.height() - window.height()))
    if (width, height) != (window.width(), window.height()):
        window.resize(max(width, 1), max(height, 1))
        frame = window.frameGeometry()
    x = min(max(frame.x(), area.left()), area.right() - frame.width() + 1)
    y = min(max(frame.y(), area.top()), area.bottom() - frame.height() + 1)
    if (x, y) != (frame.x(), frame.y()):
        window.move(x, y)


# -- per-area views ---------------------------------------------------------------------


def save_view(key: str, splitter: QSplitter, header: QHeaderView | None) -> None:
    """Saves an area's splitter, and its columns unless ``header`` is None (still fitted
    to the window automatically, so nothing the user chose to keep)."""
    store = settings()
    store.setValue(f"areas/{key}/splitter", splitter.saveState())
    if header is None:
        store.remove(f"areas/{key}/header")
    else:
        store.setValue(f"areas/{key}/header", header.saveState())


def restore_view(key: str, splitter: QSplitter, header: QHeaderView) -> bool:
    """Restores an area's splitter and column state; False when no columns were saved."""
    store = settings()
    split = _bytes(store.value(f"areas/{key}/splitter"))
    if split is not None:
        splitter.restoreState(split)
    columns = _bytes(store.value(f"areas/{key}/header"))
    return columns is not None and header.restoreState(columns)
