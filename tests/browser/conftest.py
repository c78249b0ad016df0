"""Browser journeys: the real site served by pytest-django's live server, driven in Chromium."""

import base64
import json
import re
from pathlib import Path

import pytest
from django_otp.oath import TOTP

from carehub import demo

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"


def pytest_collection_modifyitems(items):
    for item in items:
        if Path(item.fspath).is_relative_to(Path(__file__).parent):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(autouse=True)
def unhashed_static_files(settings):
    """The live server serves static files from the finders, which know unhashed names only.

    (Production serves the hashed, compressed files collectstatic makes, through WhiteNoise.)
    """
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def no_content_security_policy_violations(page):
    """Every journey fails if the browser refused anything under the Content Security Policy
    (an inline script or style, a resource from elsewhere)."""
    refused = []
    page.on(
        "console",
        lambda message: (
            refused.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    yield
    assert refused == []


@pytest.fixture
def demo_logins(transactional_db, tmp_path):
    """The demo data `make run` loads, and its logins keyed by username."""
    logins_file = tmp_path / "demo-logins.json"
    demo.load(logins_file)
    return {row["username"]: row for row in json.loads(logins_file.read_text())}


@pytest.fixture
def sign_in(page, live_server, demo_logins):
    """Sign in through the real form as a demo user; returns the page on the home page."""

    used_steps = {}

    def code(username: str) -> str:
        # A code is accepted once: signing in twice within one 30-second step uses the next.
        secret = demo_logins[username]["totp_secret"]
        totp = TOTP(base64.b32decode(secret))
        step = totp.t()
        if used_steps.get(username, -1) >= step:
            step = used_steps[username] + 1
        used_steps[username] = step
        totp.time = step * totp.step + 1
        return f"{totp.token():06d}"

    def _sign_in(username: str):
        page.goto(f"{live_server.url}/sign-in/")
        page.get_by_label("Username").fill(username)
        page.get_by_label("Password").fill(demo_logins[username]["password"])
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url(re.compile(r"/sign-in/code/"))
        page.get_by_label("Code").fill(code(username))
        page.get_by_role("button", name="Continue").click()
        page.wait_for_url(f"{live_server.url}/")
        return page

    return _sign_in


@pytest.fixture
def axe_violations(page):
    """Run axe-core on the current page; returns the violations (id, impact, nodes)."""
    if not AXE.exists():
        pytest.fail(f"axe-core not installed at {AXE}: run `npm ci`")

    def _check() -> list[dict]:
        # Evaluated through the browser's debugging protocol: the site's Content Security
        # Policy rightly refuses an injected <script>.
        page.evaluate(AXE.read_text(encoding="utf-8"))
        result = page.evaluate(
            "async () => { const r = await axe.run(document, "
            "{runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', "
            "'wcag22aa', 'best-practice']}}); "
            "return r.violations.map(v => ({id: v.id, impact: v.impact, "
            "nodes: v.nodes.map(n => n.target.join(' '))})); }"
        )
        return result

    return _check
