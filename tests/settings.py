"""Settings for the test suite: Accord's settings plus a test-only app whose
one model exercises the platform (policy, audit) independently of any capability."""

from accord.settings import *  # noqa: F401,F403
from accord.settings import INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "tests.testapp"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast users in tests only

# SQLite tests use a file, not the shared in-memory database: in-memory
# databases lock whole tables and never wait, so tests of concurrent writers
# (tests/platform/test_concurrency_audit.py) would not see SQLite's real locking.
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):  # noqa: F405
    import os as _os
    import tempfile as _tempfile

    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": _os.path.join(_tempfile.gettempdir(), f"accord-test-{_os.getpid()}.sqlite3")
    }
