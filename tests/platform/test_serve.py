"""`accord serve` as deployed: real server processes on a real SQLite file.

- the embedded database is in WAL mode, and concurrent writers wait for the
  lock instead of failing with "database is locked";
- `--workers N` runs N processes;
- the sign-in throttle holds across two server processes;
- behind a trusted TLS proxy, X-Forwarded-Proto is believed (no redirect
  loop) and HSTS is sent; from anyone else it is not.
"""

from __future__ import annotations

import json
import os
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

ACCORD = [sys.executable, "-m", "accord.cli"]


def _env(var: Path, **extra) -> dict:
    env = {**os.environ, "ACCORD_VAR_DIR": str(var), "DATABASE_URL": f"sqlite:///{var / 'accord.sqlite3'}", **extra}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    return env


def _run(var: Path, *args: str, **extra) -> subprocess.CompletedProcess:
    done = subprocess.run([*ACCORD, *args], env=_env(var, **extra), capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    return done


@pytest.fixture(scope="module")
def installation(tmp_path_factory):
    """A set-up installation: its var directory, and the demo users' passwords."""
    var = tmp_path_factory.mktemp("served")
    out = _run(var, "setup").stdout
    passwords = {}
    for line in out.splitlines():
        cells = [c.strip() for c in line.strip("│┃ ").split("│")]
        if len(cells) == 4 and cells[0].endswith(("-demo", "admin")):
            passwords[cells[0]] = cells[1]
    assert "gb-demo" in passwords and "admin" in passwords
    return var, passwords


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, var: Path, *args: str, **env):
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process = subprocess.Popen(
            [*ACCORD, "serve", "--port", str(self.port), *args],
            env=_env(var, **env),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    return
            except OSError:
                if self.process.poll() is not None:
                    raise AssertionError(self.process.stderr.read()) from None
                time.sleep(0.2)
        self.stop()
        raise AssertionError("the server did not start within 60 s")

    def children(self) -> list[int]:
        text = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children").read_text()
        return [int(p) for p in text.split()]

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


@pytest.fixture
def serve(installation):
    started = []

    def start(*args, **env):
        server = Server(installation[0], *args, **env)
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


_opener = urllib.request.build_opener(_NoRedirect)


def request(url, data=None, headers=None, method=None):
    """(status, headers, body) without following redirects."""
    body = None
    headers = dict(headers or {})
    if isinstance(data, dict) and headers.get("Content-Type") == "application/json":
        body = json.dumps(data).encode()
    elif isinstance(data, dict):
        body = urllib.parse.urlencode(data).encode()
    req = urllib.request.Request(url, data=body, headers=headers, method=method)
    try:
        with _opener.open(req, timeout=60) as response:
            return response.status, response.headers, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read().decode()


def sign_in(base_url: str, username: str, password: str) -> tuple[int, str]:
    """Through the real form: fetch it (CSRF cookie and token), then post it."""
    import http.cookiejar
    import re

    jar = http.cookiejar.CookieJar()
    browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), _NoRedirect)
    with browser.open(f"{base_url}/sign-in/", timeout=60) as page:
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.read().decode()).group(1)
    data = urllib.parse.urlencode({"username": username, "password": password, "csrfmiddlewaretoken": token}).encode()
    try:
        with browser.open(urllib.request.Request(f"{base_url}/sign-in/", data=data), timeout=60) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def test_the_embedded_database_is_in_wal_mode(installation):
    with sqlite3.connect(installation[0] / "accord.sqlite3") as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_concurrent_writers_wait_for_the_lock_instead_of_failing(installation, serve):
    var = installation[0]
    token = _run(var, "token", "create", "gb-demo").stdout.strip()
    server = serve()
    statuses, bodies = [], []

    def writer(number: int) -> None:
        for year in range(2000, 2006):
            status, _, body = request(
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
            )
            statuses.append(status)
            if status != 201:
                bodies.append(body[:300])

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert statuses.count(201) == 48, bodies[:3]
    verify = subprocess.run([*ACCORD, "audit", "verify"], env=_env(var), capture_output=True, text=True, timeout=300)
    assert verify.returncode == 0, verify.stdout + verify.stderr


def test_serve_with_two_workers_runs_two_processes_that_answer(installation, serve):
    server = serve("--workers", "2", "--threads", "2")
    deadline = time.monotonic() + 30
    while len(server.children()) < 2 and time.monotonic() < deadline:
        time.sleep(0.2)
    assert len(server.children()) == 2
    for _ in range(4):
        assert request(f"{server.url}/")[0] == 200


def test_sign_in_throttling_holds_across_two_server_processes(installation, serve):
    var, passwords = installation
    first, second = serve(), serve()
    for attempt in range(6):
        server = first if attempt % 2 else second
        assert sign_in(server.url, "fr-demo", "wrong")[0] in (200, 429)  # the form again, with the error
    status, body = sign_in(first.url, "fr-demo", passwords["fr-demo"])
    assert status == 429 and "Too many failed attempts" in body
    assert sign_in(second.url, "de-demo", passwords["de-demo"])[0] == 302  # others still sign in


PRODUCTION = {"ACCORD_ENV": "production", "SECRET_KEY": "test-only-" + "x" * 50, "ALLOWED_HOSTS": "127.0.0.1"}


@pytest.mark.parametrize("workers", ["1", "2"])
def test_behind_a_trusted_tls_proxy_https_requests_are_served_with_hsts(installation, serve, workers):
    server = serve("--workers", workers, "--threads", "2", ACCORD_TRUSTED_PROXIES="127.0.0.1", **PRODUCTION)
    status, headers, _ = request(f"{server.url}/", headers={"X-Forwarded-Proto": "https"})
    assert status == 200  # not a redirect to itself, over and over
    assert headers["Strict-Transport-Security"].startswith("max-age=31536000")
    status, headers, _ = request(f"{server.url}/")  # plain HTTP reaching the server is sent to HTTPS
    assert status == 301 and headers["Location"].startswith("https://")


@pytest.mark.parametrize("workers", ["1", "2"])
def test_without_a_trusted_proxy_a_clients_claim_of_https_is_not_believed(installation, serve, workers):
    server = serve("--workers", workers, "--threads", "2", **PRODUCTION)
    status, headers, _ = request(f"{server.url}/", headers={"X-Forwarded-Proto": "https"})
    assert status == 301 and "Strict-Transport-Security" not in headers


def test_hsts_is_sent_when_the_proxy_does_the_redirect(installation, serve):
    server = serve(ACCORD_TRUSTED_PROXIES="127.0.0.1", ACCORD_SSL_REDIRECT="0", **PRODUCTION)
    status, headers, _ = request(f"{server.url}/", headers={"X-Forwarded-Proto": "https"})
    assert status == 200 and "Strict-Transport-Security" in headers
    assert request(f"{server.url}/")[0] == 200  # no redirect from Accord itself


def test_the_cache_is_shared_between_processes_in_a_database_table_made_by_setup(installation):
    with sqlite3.connect(installation[0] / "accord.sqlite3") as db:
        assert db.execute("SELECT name FROM sqlite_master WHERE name = 'accord_cache'").fetchone()
    probe = (
        "from django.conf import settings; import django; django.setup(); print(settings.CACHES['default']['BACKEND'])"
    )
    env = {**_env(installation[0]), "DJANGO_SETTINGS_MODULE": "accord.settings"}
    done = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, text=True, timeout=120)
    assert done.stdout.strip() == "django.core.cache.backends.db.DatabaseCache", done.stderr


def test_redis_is_used_where_configured_and_its_absence_is_a_clear_error(installation):
    probe = "import accord.settings as s; print(s.CACHES['default']['BACKEND'])"
    env = {**_env(installation[0]), "REDIS_URL": "redis://127.0.0.1:1/0"}
    done = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, text=True, timeout=120)
    try:
        import redis  # noqa: F401
    except ImportError:
        assert done.returncode != 0 and "install the redis package" in done.stderr
    else:
        assert done.stdout.strip() == "django.core.cache.backends.redis.RedisCache", done.stderr
