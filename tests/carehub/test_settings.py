"""Production settings come from the environment and pass Django's deployment checks."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# Left out of the child's environment so that it sees production defaults. (The test process
# allows async-unsafe ORM calls for Playwright; the deployment check rightly refuses that.)
NOT_INHERITED = {"DEBUG", "HTTPS_ONLY", "ALLOWED_HOSTS", "SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE"}


def run_manage(*args, **env_overrides):
    env = {key: value for key, value in os.environ.items() if key not in NOT_INHERITED}
    env.update(env_overrides)
    return subprocess.run(  # noqa: S603 - fixed arguments, this interpreter
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_deploy_check_is_clean_with_production_defaults():
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "DEBUG",
        SECRET_KEY="a-long-random-production-secret-" + "x" * 40,
        ALLOWED_HOSTS="carehub.example.org",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_deploy_check_fails_when_https_is_turned_off():
    """The check is real: the development relaxation is caught."""
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        SECRET_KEY="a-long-random-production-secret-" + "x" * 40,
        ALLOWED_HOSTS="carehub.example.org",
        HTTPS_ONLY="false",
    )
    assert result.returncode != 0
    assert "security.W008" in result.stderr + result.stdout


@pytest.mark.parametrize("missing", ["SECRET_KEY", "DATABASE_URL"])
def test_production_refuses_to_start_without_a_required_setting(missing):
    complete = {"SECRET_KEY": "x" * 60, "ALLOWED_HOSTS": "carehub.example.org"}
    assert run_manage("check", **complete).returncode == 0

    result = run_manage("check", **{**complete, missing: ""})

    assert result.returncode != 0
    assert f"Set {missing}" in result.stderr


def test_only_postgresql_is_accepted():
    result = run_manage("check", SECRET_KEY="x" * 60, DATABASE_URL="sqlite:///carehub.sqlite3")
    assert result.returncode != 0
    assert "PostgreSQL only" in result.stderr
