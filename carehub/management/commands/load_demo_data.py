"""Create demo services, people and one user per role per service; print the logins."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from carehub import demo


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser):
        parser.add_argument(
            "--logins-file",
            default=str(Path(settings.BASE_DIR) / ".demo-logins.json"),
            help="Where to write the logins as JSON (default: .demo-logins.json, git-ignored)",
        )

    def handle(self, *args, logins_file, **options):
        logins = demo.load(Path(logins_file))
        self.stdout.write(f"Demo logins (also in {logins_file}):")
        for login in logins:
            self.stdout.write(
                f"  {login.username:<15} {login.password:<18} {login.role:<20} {login.service}"
            )
