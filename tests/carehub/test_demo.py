"""The demo data `make run` loads: complete, valid, and safe to load again."""

import json
import stat

import pytest
from django.core.management import call_command
from django_otp.plugins.otp_totp.models import TOTPDevice

from carehub import demo
from carehub.management.commands.demo_code import current_code
from carehub.models import Membership, Person, Role, Service, User
from carehub.validators import nhs_number_is_valid


def test_demo_data_has_two_services_30_people_and_one_user_per_role_per_service(db, tmp_path):
    logins_file = tmp_path / "logins.json"
    logins = demo.load(logins_file)

    assert set(Service.objects.values_list("name", flat=True)) == {"Rose House", "Oak Lodge"}
    assert Person.objects.count() == 30
    for service in Service.objects.all():
        roles = sorted(Membership.objects.filter(service=service).values_list("role", flat=True))
        assert roles == sorted(Role.values)
    assert all(
        nhs_number_is_valid(n)
        for n in Person.objects.exclude(nhs_number="").values_list("nhs_number", flat=True)
    )
    assert all(
        n.startswith("999")
        for n in Person.objects.exclude(nhs_number="").values_list("nhs_number", flat=True)
    )

    written = json.loads(logins_file.read_text())
    assert written == [vars(login) for login in logins]
    assert set(written[0]) == {"username", "password", "role", "service", "totp_secret"}
    assert stat.S_IMODE(logins_file.stat().st_mode) == 0o600
    for row in written:
        user = User.objects.get(username=row["username"])
        assert user.check_password(row["password"])
        # The secret makes codes the user's authenticator app accepts.
        assert TOTPDevice.objects.get(user=user, confirmed=True).verify_token(
            current_code(row["totp_secret"])
        )


def test_loading_twice_changes_nothing_and_keeps_the_passwords(db, tmp_path):
    logins_file = tmp_path / "logins.json"
    first = demo.load(logins_file)
    counts = (
        Service.objects.count(),
        Person.objects.count(),
        User.objects.count(),
        Membership.objects.count(),
    )

    secrets = {d.user_id: d.key for d in TOTPDevice.objects.all()}
    second = demo.load(logins_file)

    assert second == first  # the same passwords and authenticator secrets
    assert {d.user_id: d.key for d in TOTPDevice.objects.all()} == secrets
    assert counts == (
        Service.objects.count(),
        Person.objects.count(),
        User.objects.count(),
        Membership.objects.count(),
    )


def test_command_prints_the_logins(db, tmp_path, capsys):
    logins_file = tmp_path / "logins.json"
    call_command("load_demo_data", logins_file=str(logins_file))
    out = capsys.readouterr().out
    for row in json.loads(logins_file.read_text()):
        assert row["username"] in out and row["password"] in out


def test_the_command_adds_each_apps_demo_records_once(db, tmp_path):
    from breaches.models import BreachReport
    from consent.models import (
        BestInterestsDecision,
        CapacityAssessment,
        ConsentRecord,
        Representative,
        RepresentativeVerification,
    )

    kinds = [
        ConsentRecord,
        CapacityAssessment,
        BestInterestsDecision,
        Representative,
        RepresentativeVerification,
        BreachReport,
    ]
    call_command("load_demo_data", logins_file=str(tmp_path / "logins.json"))
    first = {model.__name__: model.objects.count() for model in kinds}
    call_command("load_demo_data", logins_file=str(tmp_path / "logins.json"))
    assert {model.__name__: model.objects.count() for model in kinds} == first
    assert all(count >= 2 for count in first.values()), first  # each service has some
    assert BreachReport.objects.filter(closure__isnull=True).count() == 2  # the clock shows


def test_demo_code_prints_a_code_the_demo_users_app_would_show(db, tmp_path, capsys):
    from django.core.management import CommandError

    logins_file = tmp_path / "logins.json"
    demo.load(logins_file)
    call_command("demo_code", "rose.manager", "--logins-file", str(logins_file))
    code = capsys.readouterr().out.strip()
    device = TOTPDevice.objects.get(user__username="rose.manager")
    assert len(code) == 6 and device.verify_token(code)
    with pytest.raises(CommandError, match="not a demo user"):
        call_command("demo_code", "someone.else", "--logins-file", str(logins_file))
    with pytest.raises(CommandError, match="make demo"):
        call_command("demo_code", "rose.manager", "--logins-file", str(tmp_path / "none.json"))
