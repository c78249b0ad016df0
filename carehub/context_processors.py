"""Values every page's header and navigation need."""

from django.conf import settings
from django.utils.crypto import salted_hmac

from . import access


def memberships(request) -> dict:
    """The signed-in user's roles, one per service, and which sections they may open."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    held = list(access.memberships_of(user))
    roles = {m.role for m in held}
    return {
        "idle_seconds": settings.SESSION_IDLE_SECONDS,
        "idle_warning_seconds": settings.SESSION_IDLE_WARNING_SECONDS,
        "idle_period": idle_period(settings.SESSION_IDLE_SECONDS),
        # Names this session (not the key itself) so that a tab only listens to tabs of the
        # same session: another user signing in on the same computer is a different one.
        "session_tag": salted_hmac("carehub.tabs", request.session.session_key or "").hexdigest()[
            :16
        ],
        "header_memberships": held,
        "nav_register": bool(roles & access.PERMISSIONS["person.view"]),
        "nav_admin": bool(roles & access.PERMISSIONS["service.administer"]) or user.is_superuser,
    }


def idle_period(seconds: int) -> str:
    """ "15 minutes", "1 minute", "90 seconds": how long a session may sit idle, in words."""
    if seconds % 60 == 0:
        minutes = seconds // 60
        return f"{minutes} minute{'s' if minutes != 1 else ''}"
    return f"{seconds} second{'s' if seconds != 1 else ''}"
