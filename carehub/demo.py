"""Demo data: two services, 30 people, one user per role per service. Idempotent."""

import base64
import json
import random
import secrets
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from django.db import transaction

from .models import Membership, Person, Role, Service, User
from .validators import nhs_check_digit

SERVICES = [("Rose House", "1-1000000001", "rose"), ("Oak Lodge", "1-1000000002", "oak")]
STAFF_NAMES = {
    ("rose", Role.CARE_STAFF): ("Amina", "Khan"),
    ("rose", Role.REGISTERED_MANAGER): ("Gareth", "Price"),
    ("rose", Role.AUDITOR): ("Helen", "Moss"),
    ("rose", Role.ADMIN): ("Tom", "Byrne"),
    ("oak", Role.CARE_STAFF): ("Joy", "Mensah"),
    ("oak", Role.REGISTERED_MANAGER): ("Priya", "Shah"),
    ("oak", Role.AUDITOR): ("Colin", "Ward"),
    ("oak", Role.ADMIN): ("Ewa", "Nowak"),
}
USERNAME_SUFFIX = {
    Role.CARE_STAFF: "carer",
    Role.REGISTERED_MANAGER: "manager",
    Role.AUDITOR: "auditor",
    Role.ADMIN: "admin",
}
GIVEN = (
    "Margaret Arthur Dorothy Stanley Joan Harold Edith Albert Irene Frank Winifred Leonard "
    "Gladys Ernest Mabel"
).split()
FAMILY = (
    "Clarke Hughes Patel Okafor Davies Walsh Murphy Begum Thompson Evans Kowalski Green Ahmed "
    "Roberts Lewis"
).split()
PEOPLE_PER_SERVICE = 15


@dataclass
class DemoLogin:
    username: str
    password: str
    role: str
    service: str
    totp_secret: str  # base32, for an authenticator app (or any TOTP tool) to make codes


def demo_app(user, known_secret: str | None) -> str:
    """The demo user's authenticator app, set up already: its secret, kept across reloads."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if known_secret and (
        device is None or base64.b32encode(device.bin_key).decode() != known_secret
    ):
        TOTPDevice.objects.filter(user=user).delete()
        device = TOTPDevice.objects.create(
            user=user,
            name="Authenticator app",
            confirmed=True,
            key=base64.b32decode(known_secret).hex(),
        )
    elif device is None:
        device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)
    return base64.b32encode(device.bin_key).decode()


def demo_nhs_number(rng: random.Random) -> str:
    """A checksum-valid number in the 999 range, which the NHS never issues to patients."""
    while True:
        first_nine = "999" + "".join(str(rng.randrange(10)) for _ in range(6))
        check = nhs_check_digit(first_nine)
        if check is not None:
            return f"{first_nine}{check}"


@transaction.atomic
def load(logins_file: Path) -> list[DemoLogin]:
    known = {}
    if logins_file.exists():
        known = {row["username"]: row for row in json.loads(logins_file.read_text())}
    rng = random.Random(20241101)  # noqa: S311 - reproducible demo data, not security
    logins = []
    for name, cqc_id, slug in SERVICES:
        service, _ = Service.objects.get_or_create(name=name, defaults={"cqc_location_id": cqc_id})
        for role, suffix in USERNAME_SUFFIX.items():
            username = f"{slug}.{suffix}"
            first, last = STAFF_NAMES[(slug, role)]
            user, _ = User.objects.get_or_create(
                username=username, defaults={"first_name": first, "last_name": last}
            )
            password = known.get(username, {}).get("password") or secrets.token_urlsafe(12)
            if not user.check_password(password):
                user.set_password(password)
                user.save()
            Membership.objects.get_or_create(user=user, service=service, role=role)
            secret = demo_app(user, known.get(username, {}).get("totp_secret"))
            logins.append(DemoLogin(username, password, role.value, name, secret))
        for i in range(PEOPLE_PER_SERVICE):
            given, family = rng.choice(GIVEN), rng.choice(FAMILY)
            born = date(1930, 1, 1) + timedelta(days=rng.randrange(365 * 40))
            nhs = demo_nhs_number(rng) if i % 5 else ""
            left = i % 7 == 6
            Person.objects.get_or_create(
                service=service,
                given_name=given,
                family_name=family,
                date_of_birth=born,
                defaults={
                    "nhs_number": nhs,
                    "is_active": not left,
                    "left_on": date(2024, 6, 1) + timedelta(days=i) if left else None,
                },
            )
    logins_file.write_text(json.dumps([vars(login) for login in logins], indent=2) + "\n")
    logins_file.chmod(0o600)
    return logins
