"""The one export path: spreadsheet formulas neutralised the same way in SQL (COPY exports)
and in Python (the breach register), JSON kept as JSON, and unknown formats refused."""

import csv
import io
import json

import pytest
from django.db.models import Value
from django.db.models.fields.json import JSONField

from carehub import exports
from carehub.models import Service

VALUES = [
    ('=HYPERLINK("x")', '\'=HYPERLINK("x")'),
    ("+1", "'+1"),
    ("-1", "'-1"),
    ("@SUM", "'@SUM"),
    ("\tlead", "'\tlead"),
    ("\rlead", "'\rlead"),
    ("Rose House", "Rose House"),
    ("a=1", "a=1"),
    ("", ""),
]


def _one_row(service, fmt, **expressions):
    columns = exports.Columns(expressions, json=frozenset({"extra"} & set(expressions)))
    body = b"".join(exports.stream(Service.objects.filter(pk=service.pk), columns, fmt))
    return body.decode("utf-8").removeprefix("\ufeff")


@pytest.mark.parametrize(("value", "expected"), VALUES)
def test_sql_neutralises_formulas_exactly_as_python_does(service_a, value, expected):
    (row,) = csv.DictReader(io.StringIO(_one_row(service_a, "csv", cell=Value(value))))
    assert row["cell"] == expected
    line, trailer = _one_row(service_a, "jsonl", cell=Value(value)).splitlines()
    assert json.loads(line) == {"cell": expected}
    assert json.loads(trailer) == {"trailer": True, "rows": 1}


def test_json_columns_stay_json(service_a):
    extra = Value({"note": "=1+1", "n": 2}, output_field=JSONField())
    line, _ = _one_row(service_a, "jsonl", extra=extra).splitlines()
    assert json.loads(line) == {"extra": {"note": "=1+1", "n": 2}}
    (row,) = csv.DictReader(io.StringIO(_one_row(service_a, "csv", extra=extra)))
    assert row["extra"].startswith("{") and json.loads(row["extra"])["n"] == 2


def test_unknown_formats_are_refused(service_a):
    with pytest.raises(ValueError, match="csv or jsonl"):
        _one_row(service_a, "xlsx", cell=Value("x"))
