"""Create demo services, people and one user per role per service, and each app's demo records;
print the logins."""

from importlib import import_module
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.module_loading import module_has_submodule

from carehub import demo
from carehub.models import Service


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser):
        parser.add_argument(
            "--logins-file",
            default=str(Path(settings.BASE_DIR) / ".demo-logins.json"),
            help="Where to write the logins as JSON (default: .demo-logins.json, git-ignored)",
        )

    def handle(self, *args, logins_file, **options):
        with transaction.atomic():
            logins = demo.load(Path(logins_file))
            # Each domain app may add records of its own in a `demo` module with load(service).
            for config in apps.get_app_configs():
                if config.name != "carehub" and module_has_submodule(config.module, "demo"):
                    loader = import_module(f"{config.name}.demo")
                    for service in Service.objects.order_by("name"):
                        loader.load(service)
        self.stdout.write(f"Demo logins (also in {logins_file}):")
        for login in logins:
            self.stdout.write(
                f"  {login.username:<15} {login.password:<18} {login.role:<20} {login.service}"
            )
        self.stdout.write(
            "Each then asks for a code from an authenticator app: add the user's totp_secret "
            "from that file to one, or run `uv run python manage.py demo_code <username>`."
        )
