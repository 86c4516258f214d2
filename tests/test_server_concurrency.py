"""Many editors on one region of the team server at once, each a real process of its own.

Every editor is ``python -m tests.servers …`` (tests/servers.py): it opens the region by
its URL and edits through the domain API as the window does; the command line is run as
``python -m dom_desk``. What they print is all the test sees of them; what the region
holds afterwards is read back here, in this process, and compared figure by figure.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.backends import region_url
from tests.servers import ROOT, Editor, go, restart, stop


def _no_traceback(err: str) -> None:
    assert "Traceback" not in err, err


@pytest.fixture
def region(pg_templates, demo_file: Path) -> Iterator[str]:  # noqa: ANN001
    """The URL of a fresh copy of the demo region on the session's server."""
    database = pg_templates.copy("demo", demo_file)
    yield region_url(pg_templates.server, database)
    pg_templates.drop(database)


def _open(url: str):  # noqa: ANN202 - an open ServerWorkbook
    from dom_desk.storage.workbook import open_workbook

    return open_workbook(url)


def _allocations(url: str) -> dict[int, tuple[int, int]]:
    """Each allocation's id -> (row version, baseline in pence), read afresh."""
    from dom_desk.domain.tables import rows
    from dom_desk.domain.tables.areas import area

    baseline = [c.key for c in area("allocations").columns].index("baseline")
    wb = _open(url)
    try:
        return {r.id: (r.version, r.values[baseline]) for r in rows.load_rows(wb, "allocations")}
    finally:
        wb.close()


def _editable(url: str) -> list[int]:
    """The current year's allocations whose agreement is not locked, by id."""
    from dom_desk.domain.tables import rows
    from dom_desk.models import Allocation

    wb = _open(url)
    try:
        ids = [r.id for r in rows.load_rows(wb, "allocations")]
        with wb.session() as session:
            return sorted(i for i in ids if not session.get(Allocation, i).agreement.status.locked)
    finally:
        wb.close()


def _history(url: str, entity_id: int) -> list:  # noqa: ANN001
    from dom_desk.domain.audit_trail import read_entries

    wb = _open(url)
    try:
        return read_entries(wb, "allocation", entity_id)
    finally:
        wb.close()


def test_two_editors_changing_different_figures_at_once_both_save(
    region: str, tmp_path: Path
) -> None:
    first, second = _editable(region)[:2]
    before = _allocations(region)
    alice = Editor.start(
        "edit", region, "allocations", str(first), "baseline", "123456700",
        barrier=tmp_path, name="alice", user="alice",
    )  # fmt: skip
    bob = Editor.start(
        "edit", region, "allocations", str(second), "baseline", "765432100",
        barrier=tmp_path, name="bob", user="bob",
    )  # fmt: skip
    go(tmp_path, alice, bob)
    for editor in (alice, bob):
        code, lines, err = editor.finish()
        _no_traceback(err)
        assert code == 0 and lines[-1] == "saved", (lines, err)

    after = _allocations(region)
    assert after[first] == (before[first][0] + 1, 123456700)
    assert after[second] == (before[second][0] + 1, 765432100)
    # Nothing else moved, and the trail names who changed which figure.
    assert {k: v for k, v in after.items() if k not in (first, second)} == {
        k: v for k, v in before.items() if k not in (first, second)
    }
    assert _history(region, first)[0].user == "alice"
    assert _history(region, second)[0].user == "bob"


def test_the_same_figure_from_the_same_read_saves_one_and_refuses_the_other_by_name(
    region: str, tmp_path: Path
) -> None:
    target = _editable(region)[0]
    version, _ = _allocations(region)[target]
    values = {"alice": 111111100, "bob": 222222200}
    editors = {
        who: Editor.start(
            "edit",
            region,
            "allocations",
            str(target),
            "baseline",
            str(value),
            barrier=tmp_path,
            name=who,
            user=who,
        )  # fmt: skip
        for who, value in values.items()
    }
    go(tmp_path, *editors.values())
    outcomes = {}
    for who, editor in editors.items():
        code, lines, err = editor.finish()
        _no_traceback(err)
        assert lines[0] == f"read {version}", lines  # both read the same version
        outcomes[who] = (code, lines[-1])

    saved = [who for who, (code, last) in outcomes.items() if code == 0 and last == "saved"]
    assert len(saved) == 1, outcomes
    winner = saved[0]
    loser = "bob" if winner == "alice" else "alice"
    code, refusal = outcomes[loser]
    assert code == 1 and refusal.startswith("refused: "), outcomes
    # One sentence naming the record and who changed it, with what to do.
    assert refusal.count("\n") == 0
    assert "Allocations, '" in refusal and "Baseline" in refusal
    assert f"changed elsewhere by {winner}" in refusal and "reload" in refusal

    # The winner's figure is kept, once: nothing of the loser's was written over it.
    assert _allocations(region)[target] == (version + 1, values[winner])
    changes = [e for e in _history(region, target) if e.field == "Baseline"]
    assert [e.user for e in changes][:1] == [winner]
    assert not any(e.user == loser for e in changes)


def _scenario(url: str, name: str, allocation_id: int, agreed: int) -> int:
    from dom_desk.domain.scenarios import drafts
    from dom_desk.domain.scenarios.subjects import ALLOCATION, Draft, Subject

    wb = _open(url)
    try:
        scenario_id = drafts.create_scenario(wb, name)
        drafts.draft(wb, scenario_id, [Draft(Subject(ALLOCATION, allocation_id), "agreed", agreed)])
        return scenario_id
    finally:
        wb.close()


def _agreed(url: str, allocation_id: int) -> int | None:
    from dom_desk.domain.tables import rows
    from dom_desk.domain.tables.areas import area

    agreed = [c.key for c in area("allocations").columns].index("agreed")
    wb = _open(url)
    try:
        return rows.load_row(wb, "allocations", allocation_id).values[agreed]
    finally:
        wb.close()


def _accept_at_once(url: str, barrier: Path, scenarios: dict[str, int]) -> dict[str, tuple]:
    editors = {
        who: Editor.start("accept", url, str(sid), barrier=barrier, name=who, user=who)
        for who, sid in scenarios.items()
    }
    go(barrier, *editors.values())
    outcomes = {}
    for who, editor in editors.items():
        code, lines, err = editor.finish()
        _no_traceback(err)
        outcomes[who] = (code, lines[-1] if lines else "")
    return outcomes


def test_two_scenarios_accepted_at_once_on_different_figures_both_apply(
    region: str, tmp_path: Path
) -> None:
    first, second = _editable(region)[:2]
    scenarios = {
        "alice": _scenario(region, "Alice's", first, 50_000_00),
        "bob": _scenario(region, "Bob's", second, 60_000_00),
    }
    outcomes = _accept_at_once(region, tmp_path, scenarios)
    assert outcomes == {"alice": (0, "saved"), "bob": (0, "saved")}
    assert (_agreed(region, first), _agreed(region, second)) == (50_000_00, 60_000_00)


def test_two_scenarios_accepted_at_once_on_the_same_figure_apply_one_and_refuse_the_other(
    region: str, tmp_path: Path
) -> None:
    target = _editable(region)[0]
    proposed = {"alice": 50_000_00, "bob": 70_000_00}
    scenarios = {who: _scenario(region, f"{who}'s", target, v) for who, v in proposed.items()}
    outcomes = _accept_at_once(region, tmp_path, scenarios)
    saved = [who for who, (code, last) in outcomes.items() if code == 0 and last == "saved"]
    assert len(saved) == 1, outcomes
    loser = next(who for who in outcomes if who not in saved)
    code, refusal = outcomes[loser]
    assert code == 1 and refusal.startswith(f"refused: Scenario '{loser}'s' was not accepted")
    assert "has changed since the scenario was drafted" in refusal
    assert _agreed(region, target) == proposed[saved[0]]


def test_editors_writing_overlapping_batches_at_once_lose_nothing(
    region: str, tmp_path: Path
) -> None:
    """Two editors each save a batch of two figures 12 times, sharing one figure. The
    server refuses interleavings it cannot serialise; storage.retry tries them again, so
    each batch ends saved whole or (after its tries) refused by sentence with nothing of it
    written, never half a batch, never a traceback."""
    before = _allocations(region)
    a, b, c = _editable(region)[:3]
    rounds = 12
    editors = {
        "alice": Editor.start(
            "batch", region, "allocations", "baseline", f"{a}=1000", f"{b}=2000",
            "--count", str(rounds), barrier=tmp_path, name="alice", user="alice",
        ),
        "bob": Editor.start(
            "batch", region, "allocations", "baseline", f"{b}=3000", f"{c}=4000",
            "--count", str(rounds), barrier=tmp_path, name="bob", user="bob",
        ),
    }  # fmt: skip
    go(tmp_path, *editors.values())
    saved = {}
    for who, editor in editors.items():
        code, lines, err = editor.finish()
        _no_traceback(err)
        saved[who] = [int(line.split()[1]) for line in lines if line.startswith("saved ")]
        if code == 0:
            assert len(saved[who]) == rounds, lines
        else:
            assert code == 1 and lines[-1].startswith("refused: "), lines
            assert "\n" not in lines[-1]
        assert saved[who] == list(range(len(saved[who]))), lines
    assert saved["alice"] or saved["bob"]

    after = _allocations(region)
    n_alice, n_bob = len(saved["alice"]), len(saved["bob"])
    # The figures only one editor writes hold that editor's last saved batch.
    assert after[a][1] == (1000 + n_alice - 1 if n_alice else before[a][1])
    assert after[c][1] == (4000 + n_bob - 1 if n_bob else before[c][1])
    # The shared one holds the last saved batch of one of them.
    assert after[b][1] in {1999 + n_alice, 2999 + n_bob}
    # Every saved batch is in the trail whole: one entry per figure it changed.
    changes = {
        rid: [e.user for e in _history(region, rid) if e.field == "Baseline"] for rid in (a, b, c)
    }
    assert changes[a].count("alice") == n_alice
    assert changes[c].count("bob") == n_bob
    assert (changes[b].count("alice"), changes[b].count("bob")) == (n_alice, n_bob)


@pytest.fixture
def private_region(demo_file: Path) -> Iterator[tuple]:
    """A private server of this test's own (it will be stopped), holding the demo region;
    every commit durable (synchronous_commit on), as on a real server."""
    import sqlalchemy as sa

    from dom_desk.storage import server_admin
    from dom_desk.storage.server_address import parse_address
    from tests import postgres

    try:
        server = postgres.start()
    except postgres.NoPostgres as why:
        pytest.skip(f"no PostgreSQL server: {why}")
    try:
        admin = sa.create_engine(server.url(), isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.exec_driver_sql(
                f'ALTER DATABASE "{postgres.DATABASE}" SET synchronous_commit = on'
            )
        admin.dispose()
        address = parse_address(server.url())
        server_admin.init_server(address)
        server_admin.publish(demo_file, address)
        yield server, region_url(server, postgres.DATABASE)
    finally:
        server.stop()


def test_server_stopped_mid_edit_is_one_sentence_and_committed_edits_survive(
    private_region: tuple,
) -> None:
    server, url = private_region
    target = _editable(url)[0]
    version, _ = _allocations(url)[target]
    editor = Editor.start(
        "edits", url, "allocations", str(target), "baseline", "1000", "--pause", "0.01",
        user="alice",
    )  # fmt: skip
    # Let it commit a few edits, then stop the server as a crash would, mid-stream.
    for _ in range(5):
        assert editor.read_line().startswith("committed "), editor.finish()
    stop(server, "immediate")
    code, lines, err = editor.finish()
    _no_traceback(err)
    committed = [int(line.split()[1]) for line in lines if line.startswith("committed ")]
    assert committed, (lines, err)
    assert code == 1, (lines, err)
    refusal = lines[-1]
    assert refusal.startswith("refused: Could not reach the server"), lines
    assert "nothing from this change was saved" in refusal

    # The command line says the same in one line while the server is down.
    done = subprocess.run(
        [sys.executable, "-m", "dom_desk", "targets", "--db", url, "--year", "2009-10"],
        cwd=ROOT, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert done.returncode == 1 and done.stdout == ""
    assert done.stderr.count("\n") == 1 and "Could not reach the server" in done.stderr
    _no_traceback(done.stderr)

    restart(server)
    row_version, baseline = _allocations(url)[target]
    # Every edit reported committed is there: the last one, or the one in flight after it
    # (committed by the server but cut off before it could say so).
    last = committed[-1]
    assert baseline in (last, last + 1)
    assert row_version - version == baseline - 1000 + 1
    saved = [e for e in _history(url, target) if e.field == "Baseline" and e.user == "alice"]
    assert len(saved) == baseline - 1000 + 1
