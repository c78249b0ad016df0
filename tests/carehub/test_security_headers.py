"""Every response carries a strict Content Security Policy, a Permissions-Policy that turns
off devices no page needs, and the usual hardening headers; signed-in pages are never cached."""

import pytest
from django.urls import reverse


def directives(response) -> dict[str, str]:
    policy = response["Content-Security-Policy"]
    return dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())


@pytest.mark.parametrize("signed_in", [False, True])
def test_a_strict_content_security_policy(client, carer_a, signed_in):
    if signed_in:
        client.force_login(carer_a)
    response = client.get(reverse("home") if signed_in else reverse("login"))
    assert response.status_code == 200
    policy = directives(response)
    assert policy["default-src"] == "'none'"
    for source in ("script-src", "style-src", "img-src", "font-src", "connect-src", "form-action"):
        assert policy[source] == "'self'", source
    assert policy["frame-ancestors"] == policy["object-src"] == policy["base-uri"] == "'none'"
    assert "unsafe" not in response["Content-Security-Policy"]


def test_no_page_may_use_the_camera_microphone_or_location(client, carer_a):
    client.force_login(carer_a)
    allowed = {
        feature.strip(): value
        for feature, value in (
            part.split("=", 1) for part in client.get("/")["Permissions-Policy"].split(",")
        )
    }
    for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
        assert allowed[feature] == "()", feature


def test_hardening_headers(client, carer_a, settings):
    settings.SECURE_HSTS_SECONDS = 31_536_000
    client.force_login(carer_a)
    response = client.get("/", secure=True)
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_signed_in_pages_are_never_stored(client, carer_a, person_a):
    client.force_login(carer_a)
    response = client.get(reverse("person_detail", args=[person_a.pk]))
    assert response["Cache-Control"] == "no-store"
    assert response["Pragma"] == "no-cache"
