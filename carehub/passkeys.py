"""Passkeys and security keys (WebAuthn, through django-otp-webauthn) as a second step of
signing in, beside the authenticator app.

A passkey is added from "Sign-in security" by a user who has just proved who they are (the
page asks again after ``REAUTHENTICATE_AFTER_SECONDS``, and so does every request of the
ceremony). It is never a way in on its own: the password comes first
(``OTP_WEBAUTHN_ALLOW_PASSWORDLESS_LOGIN`` is off), and the app and backup codes stay, so a lost
key never locks anyone out. The browser side is the library's own script, which shows the
passkey button only where the browser supports WebAuthn; these views wrap the library's so
that using, adding and removing a passkey are audit events and the session records when the
user proved who they are.
"""

import re
from http import HTTPStatus

from django.db import IntegrityError, transaction
from django.http import JsonResponse
from django.urls import reverse
from django.views.i18n import JavaScriptCatalog
from django_otp_webauthn import exceptions
from django_otp_webauthn import views as library
from django_otp_webauthn.models import WebAuthnCredential

from . import audit, mfa

CONFIRM = "confirm"  # ?purpose= of a ceremony that confirms who one is before a download
STATE = "otp_webauthn_authentication_state"  # where the library keeps a ceremony's challenge
REFUSED = (
    "That passkey or security key could not be used. Try again, or enter the code from your "
    "authenticator app."
)
ALREADY_ADDED = "This passkey or security key has already been added. Nothing was changed."


def for_user(user):
    """The user's passkeys and security keys, oldest first."""
    return WebAuthnCredential.objects.filter(user=user, confirmed=True).order_by("created_at", "pk")


def has_passkey(user) -> bool:
    return for_user(user).exists()


def config(request, *, confirming=False) -> dict:
    """What the library's script needs, given to it as JSON in the page (no inline script).
    ``confirming``: for confirming who one is before a download (the key must check its owner)."""
    from django.middleware import csrf

    begin = reverse("passkey_authentication_begin")
    return {
        "autocompleteLoginFieldSelector": None,
        "nextFieldSelector": "input[name='next']",
        "csrfToken": csrf.get_token(request),
        "beginAuthenticationUrl": f"{begin}?purpose={CONFIRM}" if confirming else begin,
        "completeAuthenticationUrl": reverse("passkey_authentication_complete"),
        "beginRegistrationUrl": reverse("passkey_registration_begin"),
        "completeRegistrationUrl": reverse("passkey_registration_complete"),
    }


def remove(user, credential_id) -> bool:
    """Remove one of ``user``'s passkeys; False if they have no such passkey."""
    if not re.fullmatch(r"[0-9]{1,18}", str(credential_id)):  # never a 500 on a hand-made id
        return False
    removed, _ = WebAuthnCredential.objects.filter(user=user, pk=int(credential_id)).delete()
    if removed:
        audit.record("carehub.two_step.passkey_removed", actor=user)
        mfa.alert(user, "A passkey or security key was removed")
    return bool(removed)


class ConfirmAgain(exceptions.OTPWebAuthnApiError):
    status_code = 403
    default_code = "confirm_again"
    default_detail = (
        "For your security, confirm it is you again before adding a passkey: reload this page."
    )


class AppFirst(exceptions.OTPWebAuthnApiError):
    status_code = 403
    default_code = "app_first"
    default_detail = "Set up an authenticator app before adding a passkey."


class _Registration:
    def check_can_register(self):
        if not mfa.recently_authenticated(self.request):
            raise ConfirmAgain()
        if mfa.app_device(self.request.user) is None:
            raise AppFirst()


class BeginRegistration(_Registration, library.BeginCredentialRegistrationView):
    pass


class CompleteRegistration(_Registration, library.CompleteCredentialRegistrationView):
    def post(self, *args, **kwargs):
        try:
            with transaction.atomic():
                response = super().post(*args, **kwargs)
                if response.status_code == 200:
                    audit.record("carehub.two_step.passkey_added", actor=self.request.user)
                    mfa.alert(self.request.user, "A passkey or security key was added")
        except IntegrityError:  # a key CareHub already holds (its credential id is unique)
            return JsonResponse(
                {"detail": ALREADY_ADDED, "code": "already_added"}, status=HTTPStatus.CONFLICT
            )
        return response


class BeginAuthentication(library.BeginCredentialAuthenticationView):
    """The second step after the password (the key only has to be present), or, with
    ``?purpose=confirm``, confirming who one is before a download instead of the password and
    code: then the key must also check that its owner is there (PIN, fingerprint or face), so
    that it is two factors on its own."""

    def post(self, *args, **kwargs):
        if self.request.GET.get("purpose") != CONFIRM:
            return super().post(*args, **kwargs)
        data, state = self.get_helper().authenticate_begin(
            user=self.get_user(), require_user_verification=True
        )
        self.request.session[STATE] = state
        return JsonResponse(data)


class CompleteAuthentication(library.CompleteCredentialAuthenticationView):
    def handle_exception(self, exc):
        if isinstance(exc, exceptions.OTPWebAuthnApiError):  # in plain words, whatever the cause
            return JsonResponse({"detail": REFUSED, "code": exc.code}, status=exc.status_code)
        return super().handle_exception(exc)

    def dispatch(self, request, *args, **kwargs):
        response = super().dispatch(request, *args, **kwargs)
        if request.method == "POST" and response.status_code >= 400:
            mfa.record_failure(request, "passkey")
        return response

    def get_state(self):
        state = super().get_state()
        self.owner_checked = state.get("require_user_verification", False)
        return state

    def complete_auth(self, device):
        second_step = not self.request.user.is_verified()  # just after the password
        if not (second_step or self.owner_checked):
            raise ConfirmAgain()  # already signed in: a key's presence alone proves nothing more
        super().complete_auth(device)
        mfa.mark_authenticated(self.request)
        if second_step:
            audit.record("carehub.two_step.passkey_used", actor=self.request.user)
        else:
            audit.record(
                "carehub.identity.confirmed", actor=self.request.user, data={"method": "passkey"}
            )

    def get_success_url(self):
        return mfa.next_url(self.request)


translations = JavaScriptCatalog.as_view(packages=["django_otp_webauthn"])
