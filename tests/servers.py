"""Editors in separate processes, for the team server's concurrency tests.

``python -m tests.servers COMMAND URL ...`` is one editor: a process of its own that
opens the region by its URL, as the window or the command line does, and changes it
through the domain API only. What it did is printed one line at a time (``read 3``,
``saved``, ``committed 7``, ``refused: <sentence>``); a refusal in words exits 1, and
anything else ends in a traceback, which the tests treat as a failure.

Editors that must act "at the same time" meet at a barrier: each writes its ``--ready``
file once it has read what it will change, and waits for the test to create ``--go``.

``Editor`` starts one from a test; ``restart`` starts a stopped private server again on
the same data folder and port (tests.postgres.Server).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BARRIER_SECONDS = 60


def _wait_for(path: Path, seconds: float = BARRIER_SECONDS) -> None:
    deadline = time.monotonic() + seconds
    while not path.exists():
        if time.monotonic() > deadline:
            raise TimeoutError(f"no {path.name} after {seconds} seconds")
        time.sleep(0.01)


def _meet(args: argparse.Namespace) -> None:
    if args.ready:
        Path(args.ready).write_text(str(os.getpid()))
    if args.go:
        _wait_for(Path(args.go))


def _say(line: str) -> None:
    print(line, flush=True)


def _edit(wb, args: argparse.Namespace) -> None:  # noqa: ANN001 - an open Workbook
    """One field from one read: the version read is the one the write expects."""
    from dom_desk.domain.tables import editing, rows

    row = rows.load_row(wb, args.area, args.id)
    _say(f"read {row.version}")
    _meet(args)
    editing.update_field(wb, args.area, args.id, args.key, args.value, expected_version=row.version)
    _say("saved")


def _edits(wb, args: argparse.Namespace) -> None:  # noqa: ANN001
    """The same field set to value, value + 1, ... one transaction each, until stopped."""
    from dom_desk.domain.tables import editing

    _meet(args)
    for step in range(args.count):
        value = args.value + step
        editing.update_field(wb, args.area, args.id, args.key, value)
        _say(f"committed {value}")
        time.sleep(args.pause)


def _batch(wb, args: argparse.Namespace) -> None:  # noqa: ANN001
    """Several fields of several records all or nothing, ``count`` times over: at step
    ``n`` each cell ``ID=VALUE`` is set to VALUE + n."""
    from dom_desk.domain.tables import editing

    cells = [tuple(int(part) for part in item.split("=")) for item in args.cells]
    _meet(args)
    for step in range(args.count):
        edits = [editing.FieldEdit(row_id, args.key, value + step) for row_id, value in cells]
        editing.update_fields(wb, args.area, edits)
        _say(f"saved {step}")


def _accept(wb, args: argparse.Namespace) -> None:  # noqa: ANN001
    from dom_desk.domain.scenarios import accepting

    _meet(args)
    accepting.accept(wb, args.id)
    _say("saved")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m tests.servers")
    commands = parser.add_subparsers(dest="command", required=True)

    def command(name: str, run) -> argparse.ArgumentParser:  # noqa: ANN001
        sub = commands.add_parser(name)
        sub.add_argument("url")
        sub.add_argument("--ready")
        sub.add_argument("--go")
        sub.set_defaults(run=run)
        return sub

    edit = command("edit", _edit)
    edits = command("edits", _edits)
    for sub in (edit, edits):
        sub.add_argument("area")
        sub.add_argument("id", type=int)
        sub.add_argument("key")
        sub.add_argument("value", type=int)
    edits.add_argument("--count", type=int, default=1000)
    edits.add_argument("--pause", type=float, default=0.02)
    batch = command("batch", _batch)
    batch.add_argument("area")
    batch.add_argument("key")
    batch.add_argument("cells", nargs="+", help="ID=VALUE")
    batch.add_argument("--count", type=int, default=1)
    accept = command("accept", _accept)
    accept.add_argument("id", type=int)
    return parser


def main(argv: list[str]) -> int:
    from dom_desk.errors import DomDeskError
    from dom_desk.storage.workbook import open_workbook

    args = _parser().parse_args(argv)
    try:
        wb = open_workbook(args.url)
        try:
            args.run(wb, args)
        finally:
            wb.close()
    except DomDeskError as refused:
        _say(f"refused: {refused}")
        return 1
    return 0


@dataclass
class Editor:
    """An editor process started by a test (``python -m tests.servers …``)."""

    process: subprocess.Popen
    ready: Path | None = None
    #: Lines already read by ``read_line``.
    lines: list[str] = field(default_factory=list)

    @classmethod
    def start(
        cls, *args: str, barrier: Path | None = None, name: str = "editor", user: str = ""
    ) -> Editor:
        """Starts ``python -m tests.servers ARGS``; with ``barrier`` (a folder) it writes
        BARRIER/NAME.ready after its read and waits for BARRIER/go."""
        command = [sys.executable, "-m", "tests.servers", *args]
        ready = None
        if barrier is not None:
            ready = barrier / f"{name}.ready"
            command[4:4] = ["--ready", str(ready), "--go", str(barrier / "go")]
        env = dict(os.environ, PYTHONPATH=str(ROOT))
        if user:  # who the audit trail names (getpass reads LOGNAME first)
            env["LOGNAME"] = env["USER"] = user
        process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        return cls(process, ready)

    def wait_ready(self, seconds: float = BARRIER_SECONDS) -> None:
        assert self.ready is not None
        deadline = time.monotonic() + seconds
        while not self.ready.exists():
            if self.process.poll() is not None:
                out, err = self.process.communicate()
                raise AssertionError(f"editor ended before its barrier: {out}{err}")
            if time.monotonic() > deadline:
                raise AssertionError("editor never reached its barrier")
            time.sleep(0.01)

    def read_line(self) -> str:
        """The next line it prints ("" once it has ended), kept for ``finish``."""
        assert self.process.stdout is not None
        line = self.process.stdout.readline().rstrip("\n")
        if line:
            self.lines.append(line)
        return line

    def finish(self, seconds: float = 90) -> tuple[int, list[str], str]:
        """Waits for the end: (exit code, every line printed, stderr)."""
        out, err = self.process.communicate(timeout=seconds)
        return self.process.returncode, [*self.lines, *out.splitlines()], err

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.communicate()


def go(barrier: Path, *editors: Editor) -> None:
    """Lets every editor at the barrier go at once, when all have read."""
    for editor in editors:
        editor.wait_ready()
    (barrier / "go").write_text("go")


def restart(server) -> None:  # noqa: ANN001 - tests.postgres.Server
    """Starts a stopped private server again on its data folder and port."""
    options = (
        f"-c listen_addresses=127.0.0.1 -p {server.port} -k {server.folder} "
        "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
    )
    done = server._run(
        "pg_ctl", "start", "-D", str(server.data), "-w", "-t", "60",
        "-l", str(server.folder / "server.log"), "-o", options,
    )  # fmt: skip
    if done.returncode != 0:
        raise RuntimeError(f"pg_ctl start failed: {done.stderr}")


def stop(server, mode: str = "fast") -> None:  # noqa: ANN001
    """Stops a private server (``fast``: connections cut, as an administrator stopping
    it; ``immediate``: as if it crashed) and leaves its data folder for ``restart``."""
    done = server._run("pg_ctl", "stop", "-D", str(server.data), "-m", mode, "-w")
    if done.returncode != 0:
        raise RuntimeError(f"pg_ctl stop failed: {done.stderr}")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
