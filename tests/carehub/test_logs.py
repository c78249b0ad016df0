"""Logs carry no personal data: a database error's refused values are withheld from the log,
while the kind of error and where it happened stay."""

import logging
import sys

import pytest
from django.db import DataError, IntegrityError, connection, transaction

from carehub.logs import WITHHELD, WithoutPersonalData
from tests.factories import PersonFactory


def logged(exc_info) -> str:
    """The text the configured console handler writes for an error logged with ``exc_info``."""
    (formatter,) = {
        handler.formatter
        for handler in logging.getLogger().handlers
        if isinstance(handler.formatter, WithoutPersonalData)
    }
    record = logging.LogRecord("django.request", logging.ERROR, __file__, 1, "Error", (), exc_info)
    return formatter.format(record)


# Values come from variables, as in the real code: a traceback quotes source lines, and those
# never hold a person's details.
NHS_NUMBER = "9434765919"
NAME = "Margaret Clarke"


def test_a_duplicate_nhs_number_is_not_written_to_the_log(db, service_a):
    PersonFactory(service=service_a, nhs_number=NHS_NUMBER)
    with pytest.raises(IntegrityError):
        with transaction.atomic():
            try:
                PersonFactory(service=service_a, nhs_number=NHS_NUMBER)
            except IntegrityError:
                text = logged(sys.exc_info())
                raise
    assert NHS_NUMBER not in text.replace(" ", "")
    assert "duplicate key value violates unique constraint" in text  # the kind stays
    assert "person_nhs_number_unique_in_service" in text
    assert WITHHELD in text.splitlines()  # the DETAIL line, with the key's values


def test_a_refused_value_quoted_in_the_message_is_withheld(db):
    with pytest.raises(DataError):
        with transaction.atomic(), connection.cursor() as cursor:
            try:
                cursor.execute("SELECT %s::uuid", [NAME])
            except DataError:
                text = logged(sys.exc_info())
                raise
    assert NAME not in text
    assert "invalid input syntax for type uuid" in text
    assert 'cursor.execute("SELECT %s::uuid"' in text  # the traceback itself is kept


def raised(error: Exception):
    try:
        raise error
    except Exception:  # noqa: BLE001
        return sys.exc_info()


@pytest.mark.parametrize(
    "message",
    [
        f'invalid input syntax for type uuid: "{NAME.split()[0]} "Bob" {NAME.split()[1]}"',
        f'"{NAME}" is not a valid UUID.',
        f"value too long: '{NAME}\nMargaret carried on\non more lines'",
    ],
    ids=["quotes inside", "any error", "several lines"],
)
def test_every_part_of_a_quoted_value_is_withheld(message):
    text = logged(raised(ValueError(message)))
    for part in ["Margaret", "Clarke", "Bob", "carried on", "more lines"]:
        assert part not in text
    assert "ValueError: " in text


def test_a_traceback_another_handler_formatted_first_is_withheld_too():
    exc_info = raised(ValueError(f'"{NAME}" is not a valid UUID.'))
    record = logging.LogRecord("x", logging.ERROR, __file__, 1, "Error", (), exc_info)
    logging.Formatter().format(record)  # caches the unredacted text on the record
    assert NAME in record.exc_text
    assert NAME not in WithoutPersonalData().format(record)


def test_a_message_without_a_traceback_is_left_alone():
    record = logging.LogRecord(
        "django.request", logging.WARNING, __file__, 1, 'Not Found: /people/"x"/', (), None
    )
    assert WithoutPersonalData().format(record) == 'Not Found: /people/"x"/'
