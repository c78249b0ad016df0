"""Test clients."""

import time

from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from carehub import mfa


class SignedInClient(Client):
    """A test client whose ``force_login`` leaves the user as signing in does: second step
    passed (with an authenticator app set up for them) and identity just proved. Tests of the
    second step itself use ``Client`` and sign in through the pages."""

    def force_login(self, user, backend=None):
        super().force_login(user, backend)
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        if device is None:
            device = TOTPDevice.objects.create(user=user, name="Test app", confirmed=True)
        session = self.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session[mfa.AUTHENTICATED_AT] = int(time.time())
        session.save()

    def search(self, path, data):
        """A filter form sent as a browser sends it (a POST, see ``carehub.searches``), then
        the page its 303 leads to, whose address never holds the form's private fields."""
        sent = self.post(path, data)
        assert sent.status_code == 303, f"POST {path}: {sent.status_code}"
        return self.get(sent["Location"])
