"""`accord setup` is idempotent, safe to interrupt and to run twice at once:
each step checks what is there and adds what is missing, under a lock."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

ACCORD = [sys.executable, "-m", "accord.cli"]
DEMO_USERS = {
    "gb-demo",
    "fr-demo",
    "de-demo",
    "pl-demo",
    "lt-demo",
    "ee-demo",
    "no-demo",
    "eeas-demo",
    "com-demo",
    "council-demo",
    "admin",
}


def _env(var: Path) -> dict:
    env = {**os.environ, "ACCORD_VAR_DIR": str(var), "DATABASE_URL": f"sqlite:///{var / 'accord.sqlite3'}"}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    return env


def _setup(var: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [*ACCORD, "setup"], env=_env(var), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def _finish(process: subprocess.Popen) -> str:
    out, err = process.communicate(timeout=300)
    assert process.returncode == 0, out + err
    return out


def _users(var: Path) -> dict[str, bool]:
    with sqlite3.connect(var / "accord.sqlite3") as db:
        return dict(db.execute("SELECT username, is_staff FROM auth_user").fetchall())


def _audit_intact(var: Path) -> None:
    done = subprocess.run([*ACCORD, "audit", "verify"], env=_env(var), capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr


def test_two_setups_at_once_on_an_empty_database_both_succeed_and_create_each_user_once(tmp_path):
    first, second = _setup(tmp_path), _setup(tmp_path)
    outputs = [_finish(first), _finish(second)]
    assert set(_users(tmp_path)) == DEMO_USERS
    assert sum("Demo users" in out for out in outputs) == 1  # the passwords are shown by whichever made them
    _audit_intact(tmp_path)


def _user_count(var: Path) -> int:
    try:
        with sqlite3.connect(var / "accord.sqlite3", timeout=0.1) as db:
            return db.execute("SELECT count(*) FROM auth_user").fetchone()[0]
    except sqlite3.OperationalError:  # no table yet, or locked by the writer for a moment
        return 0


def test_a_setup_killed_while_creating_the_demo_users_is_completed_by_the_next_run(tmp_path):
    process = _setup(tmp_path)
    # Kill it as soon as the first user is visible (or it has finished, if the users
    # appear all at once): a set-up once left some demo users and no administrator.
    deadline = time.monotonic() + 300
    while process.poll() is None and _user_count(tmp_path) == 0 and time.monotonic() < deadline:
        time.sleep(0.02)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=60)
    out = _finish(_setup(tmp_path))
    users = _users(tmp_path)
    assert set(users) == DEMO_USERS and users["admin"]
    assert "Accord is set up." in out
    _audit_intact(tmp_path)


def test_missing_demo_users_and_the_administrator_are_recreated_and_shown(tmp_path):
    _finish(_setup(tmp_path))
    with sqlite3.connect(tmp_path / "accord.sqlite3") as db:
        ids = [row[0] for row in db.execute("SELECT id FROM auth_user WHERE username IN ('admin', 'pl-demo')")]
        db.execute(f"DELETE FROM platform_profile WHERE user_id IN ({', '.join('?' * len(ids))})", ids)
        db.execute(f"DELETE FROM auth_user WHERE id IN ({', '.join('?' * len(ids))})", ids)
    out = _finish(_setup(tmp_path))
    assert "Demo users" in out and "admin" in out and "pl-demo" in out and "gb-demo" not in out
    users = _users(tmp_path)
    assert set(users) == DEMO_USERS and users["admin"]


def test_setup_adds_no_demo_user_to_an_installation_with_real_users_only(tmp_path):
    env = {**_env(tmp_path), "ACCORD_PASSWORD": "a-long-enough-passphrase-42"}
    _finish(
        subprocess.Popen(
            [*ACCORD, "setup", "--no-demo-users"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
    )
    created = subprocess.run(
        [*ACCORD, "users", "create", "alice", "--party", "GB", "--role", "editor"],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert created.returncode == 0, created.stdout + created.stderr
    out = _finish(_setup(tmp_path))
    assert "Demo users" not in out and set(_users(tmp_path)) == {"alice"}
