"""Values every page's header and navigation need."""

from . import access


def memberships(request) -> dict:
    """The signed-in user's roles, one per service, and which sections they may open."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    held = list(access.memberships_of(user))
    roles = {m.role for m in held}
    return {
        "header_memberships": held,
        "nav_register": bool(roles & access.PERMISSIONS["person.view"]),
        "nav_admin": bool(roles & access.PERMISSIONS["service.administer"]) or user.is_superuser,
    }
