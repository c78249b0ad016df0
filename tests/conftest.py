"""Shared fixtures. Tests run on PostgreSQL (DATABASE_URL, set up by `make test`)."""

import os
import shutil

import pytest

from carehub.models import Role
from tests.clients import SignedInClient
from tests.factories import MembershipFactory, PersonFactory, ServiceFactory, UserFactory

# Playwright's sync API runs an event loop in the test thread; Django's ORM must be allowed
# to run beside it (the ORM calls are still made synchronously, from this thread).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def client():
    return SignedInClient()


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Production hashing is deliberately slow; tests only need it to be correct."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """The system Chromium (Playwright cannot download its own browsers here)."""
    executable = os.environ.get("CHROMIUM") or shutil.which("chromium")
    if not executable:
        pytest.fail("Chromium not found: install it (apt-get install -y chromium) or set CHROMIUM")
    return {
        **browser_type_launch_args,
        "executable_path": executable,
        "args": [
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


@pytest.fixture
def service_a(db):
    return ServiceFactory(name="Rose House")


@pytest.fixture
def service_b(db):
    return ServiceFactory(name="Oak Lodge")


@pytest.fixture
def make_user(db):
    """A user holding ``role`` in each of ``services``."""

    def _make(role: str, *services, **user_fields):
        user = UserFactory(**user_fields)
        for service in services:
            MembershipFactory(user=user, service=service, role=role)
        return user

    return _make


@pytest.fixture
def person_a(service_a):
    return PersonFactory(service=service_a, given_name="Margaret", family_name="Clarke")


@pytest.fixture
def person_b(service_b):
    return PersonFactory(service=service_b, given_name="Stanley", family_name="Okafor")


@pytest.fixture
def carer_a(make_user, service_a):
    return make_user(Role.CARE_STAFF, service_a, username="carer.a")
