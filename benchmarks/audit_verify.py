"""Benchmark: `accord audit verify` on a chain of a million entries, incremental beside --full.

    PYTHONPATH=src .venv/bin/python benchmarks/audit_verify.py [--entries 1000000] [--new 1000]

Builds a fresh SQLite database in a temporary ACCORD_VAR_DIR (set
DATABASE_URL to use PostgreSQL instead: the benchmark then needs an empty
database), writes ``--entries`` audit entries shaped like real ones (a record's
before and after images, about 400 bytes each; synthetic, chained with the
real hash function), then times whole commands in subprocesses, as an
operator runs them:

1. `accord audit verify --full`: the baseline, every entry recomputed; it
   leaves a verified checkpoint at the newest entry;
2. ``--new`` more entries appended through the application (each its own
   transaction, as in service);
3. `accord audit verify`: incremental, from the checkpoint;
4. `accord audit verify --full` again, for the same chain.

Prints the wall time and the CPU time of each command (on a shared machine
the wall time includes waiting for a core). Target (issue 16): a million
entries verify in under 10 s.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SRC = Path(__file__).resolve().parent.parent / "src"


def build(entries: int) -> None:
    import json

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction

    from accord.platform.audit import ENTRY_FIELDS, GENESIS_HASH, _canonical, _plain
    from accord.platform.models import AuditEntry, AuditHead

    call_command("migrate", interactive=False, verbosity=0)
    if AuditEntry.objects.exists():
        return  # built by an earlier run (--var)
    table = AuditEntry._meta.db_table
    columns = ENTRY_FIELDS  # each row below lists its values in this order
    sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join(['%s'] * len(columns))})"
    start = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    prev = GENESIS_HASH
    rows = []
    for seq in range(1, entries + 1):
        before = {
            "id": seq % 5000,
            "owner_id": 7,
            "title": f"Deployment plan {seq % 5000}",
            "status": "draft",
            "amount": "1250000.00",
            "due": "2026-06-01",
            "is_public": False,
            "created_by_id": 3,
        }
        after = {**before, "status": "submitted", "title": before["title"] + ", revised"}
        at = start + dt.timedelta(seconds=seq)
        payload = {
            "sequence": seq,
            "at": _plain(at),
            "actor": "bench-user",
            "actor_party": "DE",
            "action": "update",
            "record_type": "testapp.Dossier",
            "record_id": str(seq % 5000),
            "owner": "DE",
            "before": before,
            "after": after,
            "detail": None,
        }
        digest = hashlib.sha256((prev + _canonical(payload)).encode("utf-8")).hexdigest()
        rows.append(
            (
                seq,
                connection.ops.adapt_datetimefield_value(at),
                "bench-user",
                "DE",
                "update",
                "testapp.Dossier",
                str(seq % 5000),
                "DE",
                json.dumps(before),
                json.dumps(after),
                None,
                prev,
                digest,
            )
        )
        prev = digest
        if len(rows) == 20000 or seq == entries:
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.executemany(sql, rows)
            rows = []
    AuditHead.objects.update_or_create(id=1, defaults={"sequence": entries, "hash": prev})


def append(count: int) -> None:
    import django

    django.setup()
    from accord.platform import audit

    for n in range(count):
        audit.append(
            action="update",
            record_type="testapp.Dossier",
            record_id=n,
            owner="DE",
            before={"status": "draft"},
            after={"status": "submitted"},
            actor=audit.Actor("bench-user", "DE"),
        )


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(label: str, args: list[str], env: dict) -> float:
    cpu = _children_cpu()
    start = time.perf_counter()
    result = subprocess.run(args, env=env, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - start
    cpu = _children_cpu() - cpu
    if result.returncode != 0:
        sys.exit(f"{label} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}")
    last_line = (result.stdout.strip().splitlines() or [""])[-1]
    print(f"{label:<52} {elapsed:8.2f} s wall {cpu:8.2f} s CPU   {last_line}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--entries", type=int, default=1_000_000)
    parser.add_argument("--new", type=int, default=1_000)
    parser.add_argument("--var", help="keep the database in this directory (a chain built there is reused)")
    parser.add_argument("--step", choices=["build", "append"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.step == "build":
        return build(args.entries)
    if args.step == "append":
        return append(args.new)

    with tempfile.TemporaryDirectory(prefix="accord-bench-audit-") as scratch:
        var = args.var or scratch
        env = {
            **os.environ,
            "ACCORD_VAR_DIR": var,
            "DJANGO_SETTINGS_MODULE": "accord.settings",
            "PYTHONPATH": f"{SRC}{os.pathsep}{os.environ.get('PYTHONPATH', '')}",
        }
        accord = [sys.executable, "-m", "accord.cli"]
        me = [sys.executable, __file__, "--entries", str(args.entries), "--new", str(args.new)]
        print(f"database: {os.environ.get('DATABASE_URL', 'SQLite in ' + var)}")
        timed(f"build a chain of {args.entries:,} entries (setup)", [*me, "--step", "build"], env)
        timed("accord audit --help           (start-up only)", [*accord, "audit", "--help"], env)
        timed("accord audit verify --full   (baseline)", [*accord, "audit", "verify", "--full"], env)
        timed(f"append {args.new:,} entries through the application", [*me, "--step", "append"], env)
        timed("accord audit verify          (incremental)", [*accord, "audit", "verify"], env)
        timed("accord audit verify --full   (same chain)", [*accord, "audit", "verify", "--full"], env)


if __name__ == "__main__":
    main()
