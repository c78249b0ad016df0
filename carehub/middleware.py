"""CareHub's own middleware: refused requests go in the audit trail, and signed-in pages
are never cached.

A refusal (403), a wrong method such as a POST to a read-only page (405), and a signed-in
user's request for a record outside their services (404 from a URL that matched, which is
how ``access.visible_person_or_404`` hides other services' records) are recorded as
``carehub.access.denied``: the path and view, never the query string (search terms can be
names) or the body.
"""

from . import audit

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
