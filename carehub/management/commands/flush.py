"""``flush``, able to empty the append-only audit tables of a *test* database only.

Django's test runner flushes the database between browser tests. Audit tables refuse
TRUNCATE through triggers; for a database whose name starts with ``test_`` this command skips
triggers for the flush (``session_replication_role = replica``, which needs a superuser).
On any other database it is Django's own flush, so the triggers refuse it and the flush's
transaction rolls back: the audit trail cannot be emptied from the application.
"""

from django.core.management.commands import flush
from django.db import connections


class Command(flush.Command):
    def handle(self, **options):
        connection = connections[options["database"]]
        if not connection.settings_dict["NAME"].startswith("test_"):
            return super().handle(**options)
        with connection.cursor() as cursor:
            cursor.execute("SET session_replication_role = replica")
        try:
            return super().handle(**options)
        finally:
            with connection.cursor() as cursor:
                cursor.execute("SET session_replication_role = DEFAULT")
