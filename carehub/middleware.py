"""CareHub's own middleware: refused requests go in the audit trail, signed-in pages are
never cached, an idle session ends, the second step of signing in cannot be skipped, and a
lost database connection gets a clear page.

A signed-in user's refusal (403), wrong method such as a POST to a read-only page (405), and
request for a record outside their services (404 from a URL that matched, which is
how ``access.visible_person_or_404`` hides other services' records) are recorded as
``carehub.access.denied``: the path and view, never the query string (search terms can be
names) or the body.
"""

import logging
import sys
import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.db import InterfaceError, OperationalError, connection
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.views import defaults

from . import audit
from .context_processors import idle_period

logger = logging.getLogger(__name__)

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
        # Signed-in users only: an anonymous refusal (a stale sign-in form, a GET of sign-out)
        # names nobody, and recording it would let anyone fill the append-only trail.
        if signed_in and (status in (403, 405) or (status == 404 and match is not None)):
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
                # Back to the page after signing in, if it was a page (not a form sent, a
                # "Stay signed in" or a "Hide screen").
                if request.method in ("GET", "HEAD"):
                    return redirect_to_login(request.get_full_path())
                return redirect("login")
            if last_seen is None or now - last_seen >= LAST_SEEN_GRANULARITY:
                request.session[LAST_SEEN] = now
        return self.get_response(request)


# Pages a signed-in user who has not passed the second step may still open.
BEFORE_SECOND_STEP = frozenset(
    {
        "login",
        "logout",
        "hide_screen",
        "keep_alive",
        "two_step_verify",
        "two_step_setup",
        "two_step_qr",
        "passkey_authentication_begin",
        "passkey_authentication_complete",
        "passkey_translations",
    }
)


class TwoStepMiddleware:
    """Nobody who needs the second step of signing in (``carehub.mfa.next_step``) reaches any
    other page without it: they are sent to set up an app, or to enter a code."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        from . import mfa

        user = request.user
        if not user.is_authenticated or user.is_verified():
            return None
        if request.resolver_match.view_name in BEFORE_SECOND_STEP:
            return None
        step = mfa.next_step(user)
        return redirect(mfa.login_url(step, request)) if step else None


# SQLSTATEs of a lost server: admin_shutdown, crash_shutdown, cannot_connect_now; and class 08,
# connection exceptions. A failure with no SQLSTATE at all is the connection itself breaking.
LOST = ("57P01", "57P02", "57P03")


def _connection_lost(exception) -> bool:
    sqlstate = getattr(exception.__cause__, "sqlstate", None)
    return sqlstate is None or sqlstate.startswith("08") or sqlstate in LOST


class DatabaseUnavailableMiddleware:
    """If the database goes away in the middle of a request (a restart, a failover), the user
    is told plainly that nothing from this request was saved (each request is one transaction,
    so it was rolled back or never committed), rather than shown a server error. The broken
    connection is closed, so the next request connects afresh: no restart needed."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        return database_unavailable(exception)


def database_unavailable(exception) -> HttpResponse | None:
    """The plain 503 page for a lost database (the broken connection closed, so the next
    request connects afresh), or None for any other exception."""
    if not isinstance(exception, OperationalError | InterfaceError):
        return None
    if not _connection_lost(exception):
        return None  # a deadlock or a timeout, not a lost database: a real error
    logger.warning("Database unavailable during a request", exc_info=exception)
    connection.close_if_unusable_or_obsolete()
    response = HttpResponse(render_to_string("503_database.html"), status=503)
    response["Retry-After"] = "30"
    return response


def server_error(request):
    """Django's 500 handler. The database lost before any view ran (reading the session, the
    user or the second step in middleware) gets the same 503 page as one lost during a view;
    anything else, the general error page."""
    return database_unavailable(sys.exc_info()[1]) or defaults.server_error(request)
