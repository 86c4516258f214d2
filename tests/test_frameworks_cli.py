"""`dom-desk frameworks`: the shipped measure frameworks listed as CSV."""

from __future__ import annotations

import csv
import io
import json

from dom_desk.cli import main
from dom_desk.readers.frameworks import framework_dir


def test_every_shipped_framework_is_listed_with_its_year_count_and_source(capsys) -> None:
    assert main(["frameworks"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    files = sorted(framework_dir().glob("*.json"))
    assert sorted(r["file"] for r in rows) == sorted(f.stem for f in files)
    for path in files:
        data = json.loads(path.read_text(encoding="utf-8"))
        (row,) = [r for r in rows if r["file"] == path.stem]
        assert row["name"] == data["name"] and row["year"] == data["year"]
        assert int(row["measures"]) == len(data["measures"])
        assert row["source"] == data["source"]
    assert [r["year"] for r in rows] == sorted(r["year"] for r in rows)  # oldest first
