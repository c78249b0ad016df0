"""Hostile bodies sent to every step of the passkey ceremonies, after a real start: never a
server error, never a passkey saved, never the second step passed."""

import json

import pytest
from django.urls import reverse
from django_otp_webauthn.models import WebAuthnCredential
from hypothesis import given
from hypothesis import strategies as st

from carehub.models import Role
from tests.fuzz.test_hostile_input import FUZZ, HOSTILE

STEPS = {
    "passkey_registration_complete": "passkey_registration_begin",
    "passkey_authentication_complete": "passkey_authentication_begin",
}
LEAVES = st.one_of(st.sampled_from(HOSTILE), st.text(max_size=100), st.integers(), st.none())
CREDENTIAL = st.fixed_dictionaries(
    {
        "id": LEAVES,
        "rawId": LEAVES,
        "type": st.sampled_from(["public-key", "", "x"]),
        "response": st.dictionaries(
            st.sampled_from(
                ["clientDataJSON", "attestationObject", "authenticatorData", "signature"]
            ),
            LEAVES,
        ),
    }
)
BODIES = st.one_of(
    CREDENTIAL.map(json.dumps),
    st.recursive(LEAVES, lambda inner: st.lists(inner) | st.dictionaries(st.text(), inner)).map(
        json.dumps
    ),
    st.sampled_from(HOSTILE),
    st.binary(max_size=200).map(lambda b: b.decode("latin-1")),
)


@pytest.fixture
def manager(make_user, service_a):
    """A manager with a passkey (made once for all the examples)."""
    user = make_user(Role.REGISTERED_MANAGER, service_a)
    WebAuthnCredential.objects.create(user=user, credential_id=b"k", public_key=b"p")
    return user


@pytest.mark.parametrize("complete", list(STEPS))
@FUZZ
@given(body=BODIES)
def test_passkey_steps_survive_hostile_bodies(client, manager, complete, body):
    client.force_login(manager)
    session = client.session
    session.pop("otp_device_id")  # the second step not yet passed
    session.save()
    if complete == "passkey_registration_complete":
        client.force_login(manager)  # adding a passkey comes after the second step

    begin = client.post(reverse(STEPS[complete]), "{}", content_type="application/json")
    assert begin.status_code == 200
    response = client.post(reverse(complete), body, content_type="application/json")

    assert response.status_code < 500, body
    assert response.status_code >= 400
    assert WebAuthnCredential.objects.filter(user=manager).count() == 1
    if complete == "passkey_authentication_complete":
        assert "otp_device_id" not in client.session
