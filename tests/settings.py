"""Settings for the test suite: Accord's settings plus a test-only app whose
one model exercises the platform (policy, audit) independently of any capability."""

from accord.settings import *  # noqa: F401,F403
from accord.settings import INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "tests.testapp"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast users in tests only
