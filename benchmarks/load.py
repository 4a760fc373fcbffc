"""Load benchmark: `accord serve` under 1, 10 and 50 clients, reads and writes,
one and two server processes, on the embedded SQLite database (or PostgreSQL).

Each build (a checkout's ``src`` directory) gets a fresh installation in a
temporary directory (`accord setup`), a token for the demo user ``gb-demo``,
then for each number of processes a server on a free loopback port. wrk
(Debian package ``wrk``) drives it for a fixed time per cell; nothing leaves
127.0.0.1 and every run is bounded by ``--duration``.

Scenarios:

- ``me``: ``GET /api/v1/me`` (the cheapest authenticated read);
- ``missions``: ``GET /api/v1/missions/`` (a list read);
- ``write``: ``POST /api/v1/commitments/spending`` (a spending figure, with
  its audit entry), cycling over 30 years so that records are replaced.

Run, side by side with a baseline checkout (the commit before this work):

    git worktree add --detach /tmp/accord-base 85c38a8
    PYTHONPATH=src .venv/bin/python benchmarks/load.py --baseline /tmp/accord-base

On PostgreSQL (each build gets a fresh database on the server, dropped after):

    PYTHONPATH=src .venv/bin/python benchmarks/load.py --baseline /tmp/accord-base \\
        --postgresql postgres://accord@127.0.0.1:5432/postgres

Options: ``--duration`` seconds per cell (default 5), ``--clients 1,10,50``,
``--processes 1,2``, ``--scenarios me,missions,write``. A build whose
``accord serve`` has no ``--workers`` is run with one process only.
Prints a Markdown table (docs/operations.md has one).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

WRITE_SCRIPT = r"""
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local n = 0
request = function()
  n = n + 1
  local body = string.format(
    '{"state": "GB", "year": %d, "percent_gdp": %d.%02d, "source_title": "Load test", ' ..
    '"source_href": "https://www.gov.uk/", "published": "2026-03-01", "confidence": "quoted"}',
    1996 + (n % 30), 2, n % 100)
  return wrk.format(nil, nil, nil, body)
end
"""

SCENARIOS = {
    "me": ("/api/v1/me", None),
    "missions": ("/api/v1/missions/", None),
    "write": ("/api/v1/commitments/spending", WRITE_SCRIPT),
}


DATABASES: dict[Path, str] = {}  # var directory -> DATABASE_URL, when not the embedded SQLite


def _env(src: Path, var: Path) -> dict:
    env = {
        **os.environ,
        "PYTHONPATH": str(src),
        "ACCORD_VAR_DIR": str(var),
        "DATABASE_URL": DATABASES.get(var, f"sqlite:///{var / 'accord.sqlite3'}"),
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    return env


def _accord(src: Path, var: Path, *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "accord.cli", *args],
        env=_env(src, var),
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"accord {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _supports_workers(src: Path, var: Path) -> bool:
    return "--workers" in _accord(src, var, "serve", "--help")


class Server:
    def __init__(self, src: Path, var: Path, token: str, processes: int):
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        args = ["serve", "--port", str(self.port)]
        if processes > 1:
            args += ["--workers", str(processes)]
        self.process = subprocess.Popen(
            [sys.executable, "-m", "accord.cli", *args],
            env=_env(src, var),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        request = urllib.request.Request(f"{self.url}/api/v1/me", headers={"Authorization": f"Bearer {token}"})
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(request, timeout=5) as response:
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.3)
        self.stop()
        raise SystemExit("the server did not answer within 60 s")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def _ms(text: str) -> float:
    value, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]


def wrk(url: str, token: str, clients: int, duration: int, script: str | None, workdir: Path) -> dict:
    command = [
        "wrk",
        "-t",
        str(min(clients, 2)),
        "-c",
        str(clients),
        "-d",
        f"{duration}s",
        "--timeout",
        "20s",
        "--latency",
        "-H",
        f"Authorization: Bearer {token}",
    ]
    if script:
        path = workdir / "write.lua"
        path.write_text(script)
        command += ["-s", str(path)]
    out = subprocess.run([*command, url], capture_output=True, text=True, timeout=duration + 60, check=True).stdout
    requests = int(re.search(r"(\d+) requests in", out).group(1))
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "p50": _ms(re.search(r"\s50%\s+(\S+)", out).group(1)),
        "p99": _ms(re.search(r"\s99%\s+(\S+)", out).group(1)),
        "failed": (int(bad.group(1)) if bad else 0) + (sum(map(int, errors.groups())) if errors else 0),
        "requests": requests,
    }


@contextlib.contextmanager
def postgresql_database(server_url: str, label: str):
    """A fresh database on the PostgreSQL server of ``server_url``, dropped afterwards."""
    from urllib.parse import urlsplit, urlunsplit

    import psycopg

    parts = urlsplit(server_url)
    name = f"accord_load_{label}_{os.getpid()}"
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as db:
        db.execute(f'CREATE DATABASE "{name}"')
    try:
        yield urlunsplit(parts._replace(path=f"/{name}"))
    finally:
        with psycopg.connect(admin, autocommit=True) as db:
            db.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def install(label: str, src: Path, var: Path) -> str:
    """Set up a fresh installation of the build at ``src``; return a token of gb-demo."""
    print(f"[{label}] setting up {src}", file=sys.stderr)
    _accord(src, var, "setup")
    return _accord(src, var, "token", "create", "gb-demo").strip().splitlines()[-1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--baseline", type=Path, help="A checkout of the baseline commit (its src/ is served).")
    parser.add_argument("--duration", type=int, default=5, help="Seconds per cell (1 to 60).")
    parser.add_argument("--clients", default="1,10,50")
    parser.add_argument("--processes", default="1,2")
    parser.add_argument("--scenarios", default="me,missions,write")
    parser.add_argument(
        "--postgresql",
        metavar="URL",
        help="A PostgreSQL server (postgres://user@host:port/any): each build gets a fresh database on it.",
    )
    args = parser.parse_args()
    duration = max(1, min(args.duration, 60))
    clients = [max(1, min(int(c), 200)) for c in args.clients.split(",")]
    processes = [max(1, min(int(p), 8)) for p in args.processes.split(",")]
    scenarios = [s for s in args.scenarios.split(",") if s in SCENARIOS]
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed: apt-get install wrk")
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))  # stop the servers on the way out

    builds = [("before", args.baseline / "src")] if args.baseline else []
    builds.append(("after", REPO / "src"))
    rows: list[dict] = []
    servers: list[tuple[str, int, Server, str, Path]] = []
    with contextlib.ExitStack() as stack:
        # Every server is started first and then driven in turn, cell by cell, so
        # that "before" and "after" meet the same load from the rest of the machine.
        for label, src in builds:
            var = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix=f"accord-load-{label}-")))
            if args.postgresql:
                DATABASES[var] = stack.enter_context(postgresql_database(args.postgresql, label))
            token = install(label, src, var)
            for count in processes:
                if count > 1 and not _supports_workers(src, var):
                    print(f"[{label}] no --workers: {count} processes skipped", file=sys.stderr)
                    continue
                server = Server(src, var, token, count)
                stack.callback(server.stop)
                servers.append((label, count, server, token, var))
        for scenario in scenarios:
            path, script = SCENARIOS[scenario]
            for _label, _count, server, token, var in servers:
                wrk(server.url + path, token, 1, 1, script, var)  # warm-up
            for n in clients:
                for label, count, server, token, var in servers:
                    result = wrk(server.url + path, token, n, duration, script, var)
                    rows.append({"build": label, "processes": count, "scenario": scenario, "clients": n, **result})
                    print(f"[{label}] {count}p {scenario} {n}c: {result}", file=sys.stderr)

    load = os.getloadavg()
    print(
        f"\n{os.cpu_count()} CPU cores (load average {load[0]:.1f} at the end); "
        f"{'PostgreSQL' if args.postgresql else 'SQLite'}; "
        f"{duration} s per cell; wrk on the same machine.\n"
    )
    print("| scenario | clients | build | processes | requests/s | p50 ms | p99 ms | failed |")
    print("|---|---:|---|---:|---:|---:|---:|---:|")
    for r in rows:
        print(
            f"| {r['scenario']} | {r['clients']} | {r['build']} | {r['processes']} | {r['rps']:.0f} | "
            f"{r['p50']:.1f} | {r['p99']:.1f} | {r['failed']} of {r['requests']} |"
        )


if __name__ == "__main__":
    main()
