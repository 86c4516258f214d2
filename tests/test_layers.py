"""The window and the command line work through the domain API only.

import-linter (`dev.py lint`) keeps SQLAlchemy and the ORM out of their imports; this
checks the one thing an import rule cannot see: that they never open a transaction of
their own with ``wb.session()``, so every read and write they make is a domain call.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "dom_desk"
ABOVE_THE_DOMAIN = sorted((PACKAGE / "ui").rglob("*.py")) + sorted((PACKAGE / "cli").rglob("*.py"))


def _session_calls(path: Path) -> list[int]:
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    return [
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "session"
    ]


def test_there_are_window_and_command_line_modules_to_check() -> None:
    names = {p.name for p in ABOVE_THE_DOMAIN}
    assert {"main_window.py", "workspace.py", "planning_commands.py"} <= names


@pytest.mark.parametrize("path", ABOVE_THE_DOMAIN, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_transaction_is_opened_above_the_domain(path: Path) -> None:
    assert _session_calls(path) == [], f"{path.name} opens wb.session(): call the domain"


def test_the_check_sees_a_session_opened(tmp_path: Path) -> None:
    sample = tmp_path / "page.py"
    sample.write_text("def load(wb):\n    with wb.session() as s:\n        return s\n")
    assert _session_calls(sample) == [2]
