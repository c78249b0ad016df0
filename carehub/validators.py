"""Validation of identifiers used in care records."""

import re

from django.core.exceptions import ValidationError

NHS_NUMBER_SEPARATORS = re.compile(r"[\s-]")


def normalise_nhs_number(value: str) -> str:
    """The NHS number as ten digits, with the spaces or hyphens people type removed."""
    return NHS_NUMBER_SEPARATORS.sub("", value or "")


def nhs_number_is_valid(value: str) -> bool:
    """True when ``value`` is ten digits whose last is the modulus 11 check digit."""
    digits = normalise_nhs_number(value)
    if len(digits) != 10 or not digits.isascii() or not digits.isdigit():
        return False
    total = sum(int(digit) * weight for digit, weight in zip(digits[:9], range(10, 1, -1)))
    check = 11 - total % 11
    if check == 11:
        check = 0
    return check != 10 and check == int(digits[9])


def validate_nhs_number(value: str) -> None:
    if not nhs_number_is_valid(value):
        raise ValidationError(
            "Enter a valid NHS number, like 943 476 5919: 10 digits, the last of which is "
            "a check digit",
            code="invalid_nhs_number",
        )
