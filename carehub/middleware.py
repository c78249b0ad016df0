"""CareHub's own middleware: refused requests go in the audit trail, signed-in pages are
never cached, and an idle session ends.

A refusal (403), a wrong method such as a POST to a read-only page (405), and a signed-in
user's request for a record outside their services (404 from a URL that matched, which is
how ``access.visible_person_or_404`` hides other services' records) are recorded as
``carehub.access.denied``: the path and view, never the query string (search terms can be
names) or the body.
"""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login

from . import audit
from .context_processors import idle_period

DENIED = "carehub.access.denied"


class DeniedRequestsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        status = response.status_code
        user = getattr(request, "user", None)
        signed_in = bool(user and user.is_authenticated)
        match = getattr(request, "resolver_match", None)
        if status in (403, 405) or (status == 404 and signed_in and match is not None):
            audit.record(
                DENIED,
                actor=user,
                data={
                    "status": status,
                    "method": request.method,
                    "path": request.path[:300],
                    "view": match.view_name if match else "",
                },
            )
        return response


class NoStoreMiddleware:
    """Pages shown to a signed-in user are never stored by the browser or a proxy: after
    signing out, the back button must not bring a person's records back onto the screen."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            response["Cache-Control"] = "no-store"
            response["Pragma"] = "no-cache"
        return response


LAST_SEEN = "carehub.last_seen"
# How stale the stored time may be before a request writes it again: saving the session on
# every request would cost a database write per page for a few seconds' precision.
LAST_SEEN_GRANULARITY = 15
IDLE_TIMED_OUT = "carehub.session.timed_out"


class IdleTimeoutMiddleware:
    """Signs a user out after ``SESSION_IDLE_SECONDS`` without a request (default 15 minutes;
    the page warns before, see ``static/src/carehub.js``). The policy: never leave
    confidential information visible on an unattended screen."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated:
            now = int(time.time())
            last_seen = request.session.get(LAST_SEEN)
            if last_seen is not None and now - last_seen > settings.SESSION_IDLE_SECONDS:
                audit.record(IDLE_TIMED_OUT, actor=user, data={"idle_seconds": now - last_seen})
                logout(request)
                messages.info(
                    request,
                    f"You were signed out after {idle_period(settings.SESSION_IDLE_SECONDS)} "
                    "without activity, to keep people's information safe. Sign in again to "
                    "carry on.",
                )
                return redirect_to_login(request.get_full_path())
            if last_seen is None or now - last_seen >= LAST_SEEN_GRANULARITY:
                request.session[LAST_SEEN] = now
        return self.get_response(request)
