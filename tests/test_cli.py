"""The command line: what a script or a DOM's analyst runs without the window."""

from __future__ import annotations

import csv
import io
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from dom_desk.cli import main
from dom_desk.storage import backups


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_demo_writes_a_workbook_and_refuses_to_overwrite(tmp_path: Path, capsys) -> None:
    path = tmp_path / "nw.domdesk"
    code, out, _ = run(capsys, "demo", str(path))
    assert code == 0 and path.exists() and "nw.domdesk" in out
    before = path.read_bytes()

    code, _, err = run(capsys, "demo", str(path))
    assert code != 0
    assert "already exists" in err and "Traceback" not in err
    assert path.read_bytes() == before


def test_list_providers_prints_csv_with_a_header(demo_file: Path, capsys) -> None:
    code, out, _ = run(capsys, "list", "providers", "--db", str(demo_file))
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert list(rows[0]) == ["name", "kind", "sector", "operator", "capacity"]
    names = {r["name"]: r for r in rows}
    assert names["HMP Manchester"]["kind"] == "Public prison"
    assert any(r["sector"] == "Third" for r in rows)


def test_list_measures_and_periods(demo_file: Path, capsys) -> None:
    _, out, _ = run(capsys, "list", "measures", "--db", str(demo_file))
    codes = [r["code"] for r in csv.DictReader(io.StringIO(out))]
    assert "PT 1" in codes and "PM 8" in codes

    _, out, _ = run(capsys, "list", "periods", "--db", str(demo_file))
    periods = list(csv.DictReader(io.StringIO(out)))
    assert {"2009-10", "2009-10-Q1", "2009-04", "2009-10-M", "2008-09"} <= {
        p["code"] for p in periods
    }
    april = next(p for p in periods if p["code"] == "2009-04")
    assert (april["start"], april["end"]) == ("01/04/2009", "30/04/2009")


def test_check_passes_a_sound_workbook(demo_file: Path, tmp_path: Path, capsys) -> None:
    copy = tmp_path / "copy.domdesk"
    shutil.copyfile(demo_file, copy)
    code, out, err = run(capsys, "check", "--db", str(copy))
    assert (code, err) == (0, "")
    assert "sound" in out


def test_check_reports_a_broken_link_and_figures_that_disagree(
    demo_file: Path, tmp_path: Path, capsys
) -> None:
    copy = tmp_path / "copy.domdesk"
    shutil.copyfile(demo_file, copy)
    con = sqlite3.connect(copy)
    con.execute(
        "UPDATE target SET value = '1' WHERE id = (SELECT t.id FROM target t "
        "JOIN measure m ON m.id = t.measure_id WHERE m.guidance = 'REGIONAL_MINIMUM' "
        "AND m.floor IS NOT NULL AND t.value IS NOT NULL LIMIT 1)"
    )
    con.execute("PRAGMA foreign_keys = OFF")
    con.execute("UPDATE agreement SET provider_id = 99999 WHERE id = 1")
    con.commit()
    con.close()

    code, _, err = run(capsys, "check", "--db", str(copy))
    assert code != 0
    assert "refers to a missing record in 'provider'" in err

    con = sqlite3.connect(copy)
    con.execute("UPDATE agreement SET provider_id = (SELECT min(id) FROM provider) WHERE id = 1")
    con.commit()
    con.close()
    code, _, err = run(capsys, "check", "--db", str(copy))
    assert code != 0
    assert "below the regional minimum" in err


def test_check_reports_a_contract_whose_variation_its_allocation_does_not_follow(
    demo_file: Path, tmp_path: Path, capsys
) -> None:
    """Six months at £2,115,000 a year and six at £2,100,000 make £2,107,500 in 2009-10,
    while the agreed allocation stays at £2,115,000 until someone changes it."""
    copy = tmp_path / "copy.domdesk"
    shutil.copyfile(demo_file, copy)
    code, _, _ = run(
        capsys,
        "vary",
        "--db",
        str(copy),
        "--effective",
        "01/10/2009",
        "--value-change",
        "-15000",
        "--description",
        "Fewer places",
        "DRR treatment (Cumbria and Lancashire)",
    )
    assert code == 0
    code, out, err = run(capsys, "check", "--db", str(copy))
    assert code != 0
    assert (
        "'DRR treatment (Cumbria and Lancashire)' is worth £2,107,500 in 2009-10 under "
        "its terms and variations, but its agreed allocation is £2,115,000"
    ) in out + err


def test_check_refuses_a_file_that_is_not_a_workbook(tmp_path: Path, capsys) -> None:
    junk = tmp_path / "junk.domdesk"
    junk.write_text("hello")
    code, _, err = run(capsys, "check", "--db", str(junk))
    assert code != 0
    assert "not a SQLite database" in err


def test_backups_lists_and_restore_brings_one_back(demo_file: Path, tmp_path: Path, capsys) -> None:
    copy = tmp_path / "copy.domdesk"
    shutil.copyfile(demo_file, copy)
    backup = backups.make_backup(copy, "manual")
    con = sqlite3.connect(copy)
    con.execute("DELETE FROM risk")
    con.commit()
    con.close()

    code, out, _ = run(capsys, "backups", "--db", str(copy))
    assert code == 0 and backup.name in out and "manual" in out

    code, out, _ = run(capsys, "restore", "--db", str(copy), str(backup))
    assert code == 0 and "Restored" in out
    con = sqlite3.connect(copy)
    assert con.execute("SELECT count(*) FROM risk").fetchone()[0] == 23
    con.close()


def test_a_user_error_is_one_sentence_without_a_traceback(tmp_path: Path) -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "dom_desk",
            "list",
            "providers",
            "--db",
            str(tmp_path / "absent.domdesk"),
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    assert result.stderr.strip().startswith("dom-desk: There is no workbook")
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
