"""Settings come from the environment, strictly parsed."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest


def _settings(env: dict[str, str], tmp_path) -> subprocess.CompletedProcess[str]:
    code = (
        "import json, tessere.settings as s; print(json.dumps({"
        "'debug': s.DEBUG, 'session_secure': s.SESSION_COOKIE_SECURE, "
        "'csrf_secure': s.CSRF_COOKIE_SECURE, 'hsts': s.SECURE_HSTS_SECONDS, "
        "'hosts': s.ALLOWED_HOSTS, 'engine': s.DATABASES['default']['ENGINE'], "
        "'secret': s.SECRET_KEY, 'email': s.EMAIL_BACKEND}))"
    )
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("TESSERE_", "DATABASE_"))}
    clean.update({"TESSERE_VAR_DIR": str(tmp_path), **env})
    return subprocess.run(
        [sys.executable, "-c", code], env=clean, capture_output=True, text=True, check=False
    )


def _ok(env, tmp_path) -> dict:
    result = _settings(env, tmp_path)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_production_defaults_are_secure(tmp_path):
    values = _ok({"TESSERE_ALLOWED_HOSTS": "tessere.example.org"}, tmp_path)
    assert values["debug"] is False
    assert values["session_secure"] and values["csrf_secure"]
    assert values["hsts"] >= 31536000
    assert values["hosts"] == ["tessere.example.org"]
    assert values["engine"] == "django.db.backends.sqlite3"


def test_debug_relaxes_cookies(tmp_path):
    values = _ok({"TESSERE_DEBUG": "true"}, tmp_path)
    assert values["debug"] is True
    assert not values["session_secure"]
    assert values["hsts"] == 0
    assert "127.0.0.1" in values["hosts"]
    assert values["email"].endswith("console.EmailBackend")


def test_secret_key_is_generated_once(tmp_path):
    first = _ok({}, tmp_path)["secret"]
    assert (tmp_path / "secret_key").read_text() == first
    assert _ok({}, tmp_path)["secret"] == first


def test_secret_key_from_file(tmp_path):
    secret = tmp_path / "key"
    secret.write_text("from-a-file\n")
    assert _ok({"TESSERE_SECRET_KEY_FILE": str(secret)}, tmp_path)["secret"] == "from-a-file"


def test_postgres_url_and_smtp(tmp_path):
    values = _ok(
        {
            "DATABASE_URL": "postgres://u@db.example.org:5432/tessere",
            "TESSERE_EMAIL_HOST": "smtp.example.org",
        },
        tmp_path,
    )
    assert values["engine"] == "django.db.backends.postgresql"
    assert values["email"].endswith("smtp.EmailBackend")


@pytest.mark.parametrize(
    ("env", "name"),
    [
        ({"TESSERE_DEBUG": "forse"}, "TESSERE_DEBUG"),
        ({"TESSERE_EMAIL_PORT": "venticinque"}, "TESSERE_EMAIL_PORT"),
        ({"DATABASE_URL": "nonsense://x"}, "DATABASE_URL"),
        ({"TESSERE_SECRET_KEY_FILE": "/nonexistent/key"}, "TESSERE_SECRET_KEY_FILE"),
    ],
)
def test_wrong_values_name_the_variable(tmp_path, env, name):
    result = _settings(env, tmp_path)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert name in result.stderr
