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
    assert "DETAIL: " + WITHHELD in text


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
