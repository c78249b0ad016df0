"""Two-step sign-in: a password, then a code from an authenticator app (TOTP, django-otp) or
one of ten single-use backup codes.

The second step can also be a passkey or security key (``carehub.passkeys``), added once the
app is set up.

Registered managers, auditors and administrators always use it; care staff do wherever a
service they work in says so (``Service.care_staff_use_two_step``, on by default); anyone who
has set up an app uses it. Nobody can skip it: ``TwoStepMiddleware`` sends a signed-in user
who needs it to set it up or enter a code before any other page. Sensitive actions (exports,
downloads) also need the user to have proved who they are in the last few minutes
(``ask_again``).
"""

import logging
import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from . import access, audit
from .models import Membership

AUTHENTICATED_AT = "carehub.authenticated_at"
APP_DEVICE_NAME = "Authenticator app"
BACKUP_DEVICE_NAME = "Backup codes"
BACKUP_CODES = 10
ALWAYS = frozenset({access.MANAGER, access.AUDITOR, access.ADMIN})

logger = logging.getLogger(__name__)
# Memberships that make the second step required (so do superusers).
_REQUIRED = Q(role__in=ALWAYS) | Q(role=access.CARE_STAFF, service__care_staff_use_two_step=True)


def app_device(user, *, confirmed=True) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=confirmed).order_by("pk").first()


def next_step(user) -> str | None:
    """Where a signed-in user who has not passed the second step must go first: to enter a
    code or use a passkey (they have an app or a passkey), to set an app up (they must have
    one), or nowhere (None)."""
    # One query, for it runs on every request of someone who signs in with a password only.
    has_device, required = (
        get_user_model()
        .objects.filter(pk=user.pk)
        .annotate(
            has_device=Exists(TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True))
            | Exists(WebAuthnCredential.objects.filter(user=OuterRef("pk"), confirmed=True)),
            required=Exists(Membership.objects.filter(_REQUIRED, user=OuterRef("pk"))),
        )
        .values_list("has_device", "required")
        .get()
    )
    if has_device:
        return "two_step_verify"
    return "two_step_setup" if required or user.is_superuser else None


def mark_authenticated(request) -> None:
    """The user has just proved who they are (password, and code where they use one)."""
    request.session[AUTHENTICATED_AT] = int(time.time())


def recently_authenticated(request) -> bool:
    at = request.session.get(AUTHENTICATED_AT)
    return at is not None and time.time() - at <= settings.REAUTHENTICATE_AFTER_SECONDS


def start_app_setup(user) -> TOTPDevice:
    """The user's unconfirmed authenticator-app device (a new secret the first time)."""
    device = app_device(user, confirmed=False)
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=APP_DEVICE_NAME, confirmed=False)
    return device


def confirm_app(request, device: TOTPDevice, code: str) -> list[str] | None:
    """Confirm ``device`` with a first code from the app. Returns new backup codes (shown
    once), or None if the code is wrong."""
    if not device.verify_is_allowed()[0] or not device.verify_token(code.strip().replace(" ", "")):
        return None
    device.confirmed = True
    device.save()
    TOTPDevice.objects.filter(user=request.user, confirmed=False).delete()
    codes = new_backup_codes(request.user)
    otp_login(request, device)
    mark_authenticated(request)
    audit.record("carehub.two_step.set_up", actor=request.user)
    alert(request.user, "Two-step sign-in was set up with an authenticator app")
    return codes


def new_backup_codes(user) -> list[str]:
    """Replace the user's backup codes with ten new single-use ones."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=BACKUP_DEVICE_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(BACKUP_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def alert(user, what: str) -> None:
    """Tell the user by email, once this request's changes are saved, that their sign-in
    changed (``what``, e.g. "Two-step sign-in was set up"), so that someone who set it up with
    a stolen password is noticed. No address: nothing sent. A mail server that is down is
    logged, never an error for the user."""
    if not user.email:
        return
    now = timezone.localtime()
    when = f"{now.day} {now:%B %Y} at {now:%H:%M}"

    def send():
        try:
            send_mail(
                subject="CareHub: your sign-in has changed",
                message=(
                    f"{what} on your CareHub account ({user.get_username()}) on {when}.\n\n"
                    "If this was not you, tell your registered manager or administrator now: "
                    "someone may know your password.\n"
                ),
                from_email=settings.DEFAULT_FROM_EMAIL,
                recipient_list=[user.email],
            )
        except OSError:
            logger.warning("A sign-in alert could not be sent", exc_info=True)

    transaction.on_commit(send)


def record_failure(request, method: str) -> None:
    """A wrong code or a refused passkey, for someone signed in with their password: recorded,
    so that repeated attempts on one account show in the audit trail (never the code)."""
    if request.user.is_authenticated:
        audit.record("carehub.two_step.failed", actor=request.user, data={"method": method})


def verify(request, code: str) -> bool:
    """Check a code for the signed-in user: six digits go to the authenticator app, anything
    else is tried as a backup code (used up). Only the device the code is meant for counts
    a wrong one against its throttle."""
    code = code.strip().replace(" ", "").lower()
    user = request.user
    from_app = code.isdigit() and len(code) == 6
    with transaction.atomic():
        # The device row is locked until this request ends, so the same backup code (or app
        # code) sent twice at once is accepted once: the second waits, then finds it used.
        devices = TOTPDevice.objects.filter(confirmed=True) if from_app else StaticDevice.objects
        device = devices.select_for_update().filter(user=user).order_by("pk").first()
        if device is None or not device.verify_is_allowed()[0] or not device.verify_token(code):
            record_failure(request, "app" if from_app else "backup code")
            return False
    otp_login(request, device)
    mark_authenticated(request)
    if isinstance(device, StaticDevice):
        audit.record(
            "carehub.two_step.backup_code_used", actor=user, data={"left": device.token_set.count()}
        )
        alert(user, "A backup code was used to sign in")
    return True


WAIT_MESSAGE = "You have entered a wrong code too many times. Wait a minute, then try again."


def must_wait(user, *, confirmed=True) -> bool:
    """After wrong codes the app device refuses every code for a while (django-otp's
    throttling doubles the wait with each failure), so codes cannot be guessed."""
    device = app_device(user, confirmed=confirmed)
    return device is not None and not device.verify_is_allowed()[0]


def reset(user, *, by) -> None:
    """Remove ``user``'s app, backup codes and passkeys (an administrator's reset, for a lost
    phone): they set up again at their next request (a session verified with a removed device
    is no longer verified)."""
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    WebAuthnCredential.objects.filter(user=user).delete()
    audit.record("carehub.two_step.reset", actor=by, data={"user": user.username})
    alert(user, "Your two-step sign-in was reset by an administrator")


def next_url(request) -> str:
    """Where to go after signing in or confirming: the ``next`` asked for, if it is on this
    site, else the home page."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("home")


def login_url(name: str, request) -> str:
    return f"{reverse(name)}?{urlencode({'next': request.get_full_path()})}"


def ask_again(request):
    """For sensitive actions, after the access check: a redirect asking a user who has not
    proved who they are in the last ``REAUTHENTICATE_AFTER_SECONDS`` to do so, then come
    back; None when they have."""
    if recently_authenticated(request):
        return None
    return redirect(login_url("confirm_identity", request))
