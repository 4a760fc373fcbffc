"""Where email goes is set by the environment: SMTP when EMAIL_HOST is given, the console otherwise."""

import os
import subprocess
import sys

import pytest

READ = "import django; django.setup(); from django.conf import settings as s; print(s.EMAIL_BACKEND, s.EMAIL_HOST)"


def backend(**env) -> str:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("EMAIL_")}
    result = subprocess.run(
        [sys.executable, "-c", READ],
        env={**clean, "DJANGO_SETTINGS_MODULE": "accord.settings", **env},
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.strip()


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({}, "django.core.mail.backends.console.EmailBackend"),
        ({"EMAIL_FILE_PATH": "/tmp/accord-mail"}, "django.core.mail.backends.filebased.EmailBackend"),
        ({"EMAIL_HOST": "smtp.example.gov.uk"}, "django.core.mail.backends.smtp.EmailBackend smtp.example.gov.uk"),
    ],
)
def test_the_mail_backend_follows_the_environment(env, expected):
    assert backend(**env).startswith(expected)
