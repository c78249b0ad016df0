"""CareHub's URLs plus a bare 50-row template page: the baseline the decision history page is
measured against in the same run, on the same server and data."""

from django.http import HttpResponse
from django.template import engines
from django.urls import path

from carehub.urls import urlpatterns as carehub_urlpatterns
from decisions.models import Decision

BARE = engines["django"].from_string(
    "<table>{% for d in rows %}<tr><td>{{ d.id }}</td><td>{{ d.decided_at }}</td>"
    "<td>{{ d.final }}</td><td>{{ d.recommendation }}</td></tr>{% endfor %}</table>"
)


def bare(request):
    rows = Decision.objects.order_by("-decided_at")[:50]
    return HttpResponse(BARE.render({"rows": rows}))


urlpatterns = [path("bench/bare/", bare), *carehub_urlpatterns]
