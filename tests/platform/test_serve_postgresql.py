"""A deployment on PostgreSQL (run by .ci/run, whose second pass sets
DATABASE_URL to a PostgreSQL server): two `accord serve` processes on one
database. Sign-in throttling holds across them; concurrent writes through
both are all stored and leave the audit chain intact; two set-ups at once on
an empty database both succeed.

Each test makes its own database on that server and drops it afterwards.
"""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
import threading
from urllib.parse import urlsplit, urlunsplit

import pytest

from tests.platform.test_serve import Server, request, sign_in

DATABASE_URL = os.environ.get("DATABASE_URL", "")
pytestmark = pytest.mark.skipif(
    not DATABASE_URL.startswith(("postgres://", "postgresql://")),
    reason="a deployment test for PostgreSQL: runs when DATABASE_URL is a PostgreSQL server (.ci/run)",
)
ACCORD = [sys.executable, "-m", "accord.cli"]


def _admin_connection():
    import psycopg

    parts = urlsplit(DATABASE_URL)
    return psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True)


@pytest.fixture
def deployment(tmp_path):
    """A var directory and the URL of a fresh, empty database."""
    name = f"accord_deploy_{secrets.token_hex(4)}"
    with _admin_connection() as db:
        db.execute(f'CREATE DATABASE "{name}"')
    url = urlunsplit(urlsplit(DATABASE_URL)._replace(path=f"/{name}"))
    yield tmp_path, url
    with _admin_connection() as db:
        db.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _env(var, url, **extra):
    env = {**os.environ, "ACCORD_VAR_DIR": str(var), "DATABASE_URL": url, **extra}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    return env


def _accord(var, url, *args):
    done = subprocess.run([*ACCORD, *args], env=_env(var, url), capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def _passwords(out: str) -> dict[str, str]:
    passwords = {}
    for line in out.splitlines():
        cells = [c.strip() for c in line.strip("│┃ ").split("│")]
        if len(cells) == 4 and cells[0].endswith(("-demo", "admin")):
            passwords[cells[0]] = cells[1]
    return passwords


class _Servers:
    def __init__(self, var, url):
        self.var, self.url, self.started = var, url, []

    def start(self, *args):
        server = Server(self.var, *args, DATABASE_URL=self.url)
        self.started.append(server)
        return server

    def stop(self):
        for server in self.started:
            server.stop()


def test_two_server_processes_share_throttling_and_keep_the_audit_chain_under_concurrent_writes(deployment):
    var, url = deployment
    passwords = _passwords(_accord(var, url, "setup"))
    token = _accord(var, url, "token", "create", "gb-demo").strip()
    servers = _Servers(var, url)
    try:
        first, second = servers.start(), servers.start("--workers", "2", "--threads", "4")
        for attempt in range(6):
            sign_in((first if attempt % 2 else second).url, "fr-demo", "wrong")
        status, body = sign_in(first.url, "fr-demo", passwords["fr-demo"])
        assert status == 429 and "Too many failed attempts" in body
        assert sign_in(second.url, "de-demo", passwords["de-demo"])[0] == 302

        statuses = []

        def writer(number: int) -> None:
            server = first if number % 2 else second
            # A year per writer: two first figures for one year at once still race on PostgreSQL
            # (commitments.services.record_figure reads, then inserts: one gets a unique-key error).
            for year in range(1980 + 6 * number, 1986 + 6 * number):
                statuses.append(
                    request(
                        f"{server.url}/api/v1/commitments/spending",
                        {
                            "state": "GB",
                            "year": year,
                            "percent_gdp": 2.0 + number / 100,
                            "source_title": "Test figure",
                            "source_href": "https://www.gov.uk/",
                            "published": "2026-03-01",
                            "confidence": "quoted",
                        },
                        {"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
                    )[0]
                )

        threads = [threading.Thread(target=writer, args=(n,)) for n in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert statuses.count(201) == 48, statuses
    finally:
        servers.stop()
    assert "intact" in _accord(var, url, "audit", "verify")


def test_two_setups_at_once_on_an_empty_postgresql_database(deployment):
    var, url = deployment
    # Two var directories, as on two machines: only the database's advisory lock is shared.
    runs = [
        subprocess.Popen(
            [*ACCORD, "setup"], env=_env(var / str(n), url), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        for n in range(2)
    ]
    outputs = []
    for run in runs:
        out, err = run.communicate(timeout=300)
        assert run.returncode == 0, out + err
        outputs.append(out)
    assert sum("Demo users" in out for out in outputs) == 1
    assert "intact" in _accord(var, url, "audit", "verify")
