"""Settings for commands that need neither the database nor secrets, such as
``manage.py decide``: the usual settings, with no database at all (any query fails loudly)."""

import os

os.environ.setdefault("SECRET_KEY", "offline-commands-sign-nothing")
os.environ.setdefault("DATABASE_URL", "postgres://offline.invalid/no-database")

from .settings import *  # noqa: E402, F403

DATABASES = {"default": {"ENGINE": "django.db.backends.dummy"}}
