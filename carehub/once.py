"""A form sent twice is one record: the one way CareHub saves a new record from a form.

Each such form carries a key made when it was shown (``carehub.forms.SubmitOnceForm``), and the
record stores it in a unique column. The same key again (a double click, a resend after a slow
connection, the back button) finds the first record instead of making a second, even when the
two requests arrive at the same moment: the second insert waits for the first at the unique
index, fails, and then finds the record the first saved.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db import IntegrityError, transaction


@dataclass(frozen=True)
class Saved:
    """The record, and whether this request made it (False: it had been saved already)."""

    record: object
    created: bool


def save_once(model, submission_key, save: Callable[[], object]) -> Saved:
    """The record of ``model`` with ``submission_key``: found, or made by ``save()`` (which
    must store the key on it and return it)."""
    if existing := model.objects.filter(submission_key=submission_key).first():
        return Saved(existing, created=False)
    try:
        with transaction.atomic():  # a savepoint: a refused insert leaves the request usable
            record = save()
    except IntegrityError:
        if existing := model.objects.filter(submission_key=submission_key).first():
            return Saved(existing, created=False)  # another request saved it meanwhile
        raise  # another constraint: a real error
    return Saved(record, created=True)


def create_once(instance, submission_key, **fields) -> Saved:
    """``save_once`` for the usual case: ``instance`` saved with ``fields`` (its parent record,
    who recorded it) and the key, unless the key's record exists already."""

    def save():
        for name, value in fields.items():
            setattr(instance, name, value)
        instance.submission_key = submission_key
        instance.save()
        return instance

    return save_once(type(instance), submission_key, save)
