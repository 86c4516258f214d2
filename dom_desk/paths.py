"""Where DOM Desk keeps its own files: the demo workbook, backups, settings."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import platformdirs

APP_NAME = "DOM Desk"
APP_AUTHOR = "DOM Desk"
#: The file suffix of a region workbook.
WORKBOOK_SUFFIX = ".domdesk"


def data_dir() -> Path:
    """The user's data folder; ``DOM_DESK_HOME`` overrides it (tests, portable use)."""
    override = os.environ.get("DOM_DESK_HOME")
    path = Path(override) if override else Path(platformdirs.user_data_dir(APP_NAME, APP_AUTHOR))
    path.mkdir(parents=True, exist_ok=True)
    return path


def demo_workbook_path() -> Path:
    return data_dir() / f"North West demo{WORKBOOK_SUFFIX}"


def backup_dir(workbook: Path) -> Path:
    """Backups of one workbook, in the data folder so a read-only share still gets them."""
    resolved = str(Path(workbook).resolve())
    tag = hashlib.sha256(resolved.encode()).hexdigest()[:10]
    return data_dir() / "backups" / f"{Path(workbook).stem}-{tag}"
