"""Validation of identifiers used in care records."""

import re

from django.core.exceptions import ValidationError

NHS_NUMBER_SEPARATORS = re.compile(r"[\s-]")


def normalise_nhs_number(value: str) -> str:
    """The NHS number as ten digits, with the spaces or hyphens people type removed."""
    return NHS_NUMBER_SEPARATORS.sub("", value or "")


def nhs_check_digit(first_nine: str) -> int | None:
    """The modulus 11 check digit for nine digits, or None when it would be 10 (never issued)."""
    total = sum(
        int(digit) * weight for digit, weight in zip(first_nine, range(10, 1, -1), strict=True)
    )
    check = (11 - total % 11) % 11
    return None if check == 10 else check


def nhs_number_is_valid(value: str) -> bool:
    """True when ``value`` is ten digits whose last is the modulus 11 check digit."""
    digits = normalise_nhs_number(value)
    if len(digits) != 10 or not digits.isascii() or not digits.isdigit():
        return False
    return nhs_check_digit(digits[:9]) == int(digits[9])


def validate_nhs_number(value: str) -> None:
    if not nhs_number_is_valid(value):
        raise ValidationError(
            "Enter a valid NHS number, like 943 476 5919: 10 digits, the last of which is "
            "a check digit",
            code="invalid_nhs_number",
        )
