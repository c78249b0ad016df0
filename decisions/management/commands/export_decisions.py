"""``python manage.py export_decisions --format csv|jsonl [filters] > file``: the decision
history for scheduled jobs, streamed to standard output exactly as the download is, and
recorded in the audit trail."""

import sys

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from carehub import audit
from carehub import exports as carehub_exports
from carehub.models import Service
from decisions import exports
from decisions.filters import DecisionHistoryFilter
from decisions.models import Decision


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=carehub_exports.FORMATS, default="csv")
        parser.add_argument("--service", help="a service's exact name (default: all services)")
        parser.add_argument("--route", help="for example safeguarding")
        parser.add_argument("--decision", dest="final", choices=["share", "withhold"])
        parser.add_argument("--from", dest="decided_from", help="YYYY-MM-DD")
        parser.add_argument("--to", dest="decided_to", help="YYYY-MM-DD")

    def handle(self, *args, format, service, **options):
        services = Service.objects.all()
        if service is not None:
            services = services.filter(name=service)
            if not services.exists():
                raise CommandError(f"No service is called {service!r}")
        params = {
            k: v
            for k, v in options.items()
            if k in ("route", "final", "decided_from", "decided_to") and v
        }
        filterset = DecisionHistoryFilter(
            params or None,
            queryset=Decision.objects.filter(person__service__in=services),
            services=services,
        )
        if filterset.is_bound and not filterset.is_valid():
            problems = "; ".join(
                f"{field}: {' '.join(errors)}" for field, errors in filterset.errors.items()
            )
            raise CommandError(problems)
        as_at = timezone.now()
        rows = filterset.qs.filter(decided_at__lte=as_at).order_by("-decided_at", "pk")
        audit.record(
            "decisions.history.exported",
            actor=None,
            data={
                "format": format,
                "filters": {"service": service, **params},
                "rows": rows.count(),
                "as_at": as_at.isoformat(),
                "by": "export_decisions command",
            },
        )
        out = sys.stdout.buffer
        for chunk in carehub_exports.stream(rows, exports.COLUMNS, format):
            out.write(chunk)
        out.flush()
