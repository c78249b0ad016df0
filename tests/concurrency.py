"""Two requests at the same moment, in a fixed order: the first does its work in a transaction
and holds it open until the second is seen waiting on one of its locks (in ``pg_locks``), then
commits. Each call runs in a thread of its own, with its own connection, in a transaction as
``ATOMIC_REQUESTS`` gives a real request. Needs ``django_db(transaction=True)``."""

import threading
import time
from dataclasses import dataclass

from django.db import connection, transaction


@dataclass
class Race:
    first: object  # what the first call returned
    second: object  # what the second returned, or the exception it raised
    second_waited: bool  # the second was seen waiting for the first's lock


def race(first_call, second_call) -> Race:
    results, first_done, release = {}, threading.Event(), threading.Event()

    def first():
        try:
            with transaction.atomic():
                results["first"] = first_call()
                first_done.set()
                release.wait(10)
        finally:
            connection.close()

    def second():
        try:
            first_done.wait(10)
            with transaction.atomic():
                results["second"] = second_call()
        except Exception as error:  # noqa: BLE001 - what the request would have failed with
            results["second"] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    first_done.wait(10)
    waited = False
    for _ in range(100):
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM pg_locks WHERE NOT granted")
            waited = cursor.fetchone()[0] > 0
        if waited:
            break
        time.sleep(0.05)
    release.set()
    for thread in threads:
        thread.join(20)
    return Race(results.get("first"), results.get("second"), waited)
