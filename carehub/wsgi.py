"""WSGI entry point (gunicorn serves ``carehub.wsgi:application``)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "carehub.settings")

application = get_wsgi_application()
