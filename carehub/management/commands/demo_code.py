"""``python manage.py demo_code rose.manager``: the current sign-in code of a demo user, made
from the ``totp_secret`` in ``.demo-logins.json`` (demo users only: real users' secrets are
never written to a file)."""

import base64
import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django_otp.oath import TOTP


def current_code(secret: str) -> str:
    return f"{TOTP(base64.b32decode(secret)).token():06d}"


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument(
            "--logins-file", default=str(Path(settings.BASE_DIR) / ".demo-logins.json")
        )

    def handle(self, *args, username, logins_file, **options):
        path = Path(logins_file)
        if not path.exists():
            raise CommandError(f"No demo logins at {path}: run `make demo` first")
        secrets = {row["username"]: row.get("totp_secret") for row in json.loads(path.read_text())}
        if not secrets.get(username):
            raise CommandError(f"{username!r} is not a demo user")
        self.stdout.write(current_code(secrets[username]))
