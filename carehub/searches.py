"""Searches kept out of addresses: the one way CareHub's filter pages take free text.

A name or an NHS number typed into a search must never be part of a URL: URLs end up in server
access logs, in browser history and in the ``Referer`` of the next request. So every filter
form with free text (the people list, the decision history and its export, the audit trail
and its export) is sent as a POST, and its view hands it here first:

- **POST**: the form's *private* fields (those the form class lists in ``private_fields``) are
  kept in the session under a random, unguessable token (``secrets.token_urlsafe``); the
  answer is a 303 to the same page's GET address carrying only the other filters and the token
  (``?service=…&s=<token>``): only the form's own non-private fields, so nothing else sent
  with it (a stray field, a button) can carry text into the address. Each session keeps the
  ``KEEP`` most recent searches; the oldest is dropped (the same search sent again reuses its
  token and becomes the newest).
- **GET**: the form's data is the query string with the private fields put back from the
  token, so pagination, sort and download links carry the token (``Search.query``), never the
  text, and a download filters exactly as the page it was linked from.
- **An unknown or expired token** (another browser, signed out, dropped as old): the page is
  shown unfiltered with a message to search again, never an error. A download with such a
  token is sent back to its page (``Search.expired``): a file of everything, when the user
  asked for a filtered one, would be worse than no file.
- **A private field in the query string** (an old bookmark, a hand-typed or pasted address):
  it is moved into the session and the browser is sent at once (303) to the token address.
  It is neither used as it is nor silently ignored: using it would leave the name on screen in
  the address bar and in every ``Referer`` and history entry from then on; ignoring it would
  show an unfiltered list that looks like the answer to the search. Moving it costs the one
  request that already carried the name (that log line exists whatever CareHub does), keeps
  old bookmarks working, and leaves the address bar, the page's links and later history clean.

What searches are recorded as (audit events, ``Search.filters``) holds the other filters and,
for a private field, only that it was used: never the text.
"""

import secrets
from dataclasses import dataclass, field

from django.contrib import messages
from django.http import HttpResponseRedirect, QueryDict

TOKEN = "s"  # noqa: S105 - the name of the query parameter, not a secret
SESSION_KEY = "carehub.searches"
KEEP = 20
# A value longer than its field allows is still kept (and shown with its error), but never
# more than this, so that the session and the address stay small whatever is sent. The other
# fields (choices, dates, record ids) are all far shorter than ``ADDRESS_CHARS``.
MAX_CHARS = 1000
ADDRESS_CHARS = 100
WITHHELD = "(given, not recorded)"
EXPIRED = "Your search has expired, so the list below is not filtered. Search again to filter it."


class SeeOther(HttpResponseRedirect):
    """After a POST, the browser GETs the new address (and the back button does not re-send)."""

    status_code = 303


@dataclass(frozen=True)
class Search:
    """A filter page's search: ``data`` to bind its form (None when nothing was searched),
    ``query`` for its links (filters and token, no page), ``filters`` for audit events, and
    ``redirect`` when the view must answer with it and nothing else."""

    data: QueryDict | None = None
    query: str = ""
    filters: dict = field(default_factory=dict)
    expired: bool = False
    redirect: HttpResponseRedirect | None = None


def private_fields_of(form_class) -> tuple[str, ...]:
    """The free-text fields of a form (or a django-filter FilterSet) that can hold a name."""
    if hasattr(form_class, "base_filters"):  # a FilterSet: its form's
        form_class = form_class._meta.form
    return tuple(getattr(form_class, "private_fields", ()))


def _public_fields_of(form_class) -> frozenset[str]:
    """The fields of a form (or FilterSet) that may be in an address: all but the private."""
    names = getattr(form_class, "base_filters", None) or form_class.base_fields
    return frozenset(names) - set(private_fields_of(form_class))


def search(request, form_class) -> Search:
    """The search of ``request`` on a filter page whose form is ``form_class``."""
    private = private_fields_of(form_class)
    allowed = _public_fields_of(form_class)
    if request.method == "POST":
        return _moved(request, request.POST, private, allowed)
    if any(_values(request.GET, name) for name in private):
        return _moved(request, request.GET, private, allowed)
    public = _filters(request.GET, allowed)
    token = request.GET.get(TOKEN)
    kept = {}
    if token:
        kept = request.session.get(SESSION_KEY, {}).get(token)
        if kept is None:
            messages.info(request, EXPIRED)
            return Search(expired=True)
        public[TOKEN] = [token]
    data = QueryDict(mutable=True)
    for name, values in [*public.items(), *kept.items()]:
        if name != TOKEN:
            data.setlist(name, values)
    query = QueryDict(mutable=True)
    for name, values in public.items():
        query.setlist(name, values)
    filters = {name: values[-1] for name, values in public.items() if name != TOKEN}
    filters.update(dict.fromkeys((name for name in private if kept.get(name)), WITHHELD))
    return Search(data=data or None, query=query.urlencode(), filters=filters)


def _values(source: QueryDict, name: str, limit: int = MAX_CHARS) -> list[str]:
    """The field's value (the last one sent, as a form reads it), cut to ``limit``; or none."""
    return [value[:limit] for value in source.getlist(name)[-1:] if value]


def _filters(source: QueryDict, allowed: frozenset[str]) -> dict[str, list[str]]:
    """The filters that may be in an address: the form's own fields that are not private and
    not empty (so never a button, the CSRF token, or anything else sent with them)."""
    return {
        name: values
        for name in source
        if name in allowed and (values := _values(source, name, ADDRESS_CHARS))
    }


def _moved(request, source: QueryDict, private: tuple[str, ...], allowed) -> Search:
    """The private fields of ``source`` into the session, and a 303 to the token address."""
    public = _filters(source, allowed)
    kept = {name: values for name in private if (values := _values(source, name))}
    query = QueryDict(mutable=True)
    for name, values in public.items():
        query.setlist(name, values)
    if kept:
        query[TOKEN] = keep(request.session, kept)
    address = request.path + (f"?{query.urlencode()}" if query else "")
    return Search(redirect=SeeOther(address))


def keep(session, kept: dict[str, list[str]]) -> str:
    """Keep a search's private fields in the session; its token. At most ``KEEP`` searches
    are kept, the oldest dropped first; the same search again reuses its token."""
    saved = dict(session.get(SESSION_KEY, {}))
    token = next((old for old, values in saved.items() if values == kept), None)
    if token is not None:
        del saved[token]  # to be the newest again
    else:
        token = secrets.token_urlsafe(16)
    saved[token] = kept
    for old in list(saved)[:-KEEP]:
        del saved[old]
    session[SESSION_KEY] = saved
    return token
