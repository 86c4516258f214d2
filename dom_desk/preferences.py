"""The user's own preferences that the domain needs (not window layout, which Qt keeps).

Kept as a small JSON file in the data folder so the command line and the window agree.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from dom_desk import paths
from dom_desk.files import atomic_path

DEFAULTS: dict[str, Any] = {
    #: How many backups of each workbook are kept.
    "backups_keep": 20,
    #: The performance matrix's density: "comfortable" or "compact".
    "matrix_density": "comfortable",
}


def _file() -> Path:
    return paths.data_dir() / "preferences.json"


def load() -> dict[str, Any]:
    try:
        stored = json.loads(_file().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        stored = {}
    return {**DEFAULTS, **{k: v for k, v in stored.items() if k in DEFAULTS}}


def get(key: str) -> Any:
    return load()[key]


def set_value(key: str, value: Any) -> None:
    if key not in DEFAULTS:
        raise KeyError(key)
    values = load()
    values[key] = value
    with atomic_path(_file()) as partial:  # a full disk never leaves it truncated
        partial.write_text(json.dumps(values, indent=2), encoding="utf-8")


def backups_keep() -> int:
    return max(1, int(get("backups_keep")))
