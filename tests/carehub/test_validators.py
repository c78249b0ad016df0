import pytest
from django.core.exceptions import ValidationError

from carehub.validators import nhs_number_is_valid, normalise_nhs_number, validate_nhs_number


@pytest.mark.parametrize(
    "value",
    ["9434765919", "943 476 5919", "943-476-5919", "4010232137", "9990000018"],
)
def test_valid_nhs_numbers(value):
    assert nhs_number_is_valid(value)


@pytest.mark.parametrize(
    "value, why",
    [
        ("9434765918", "wrong check digit"),
        ("943476591", "nine digits"),
        ("94347659190", "eleven digits"),
        ("", "empty"),
        ("abcdefghij", "letters"),
        ("943476591x", "letter as check digit"),
        ("１２３４５６７８９０", "full-width digits are not ASCII"),
        ("1000000010", "check digit would be 10, which is never issued"),
    ],
)
def test_invalid_nhs_numbers(value, why):
    assert not nhs_number_is_valid(value), why


def test_check_digit_is_zero_when_the_weighted_sum_divides_by_eleven():
    # 1*10 + 1*9 + 1*3 = 22 = 2 * 11, so the check digit is 0.
    assert nhs_number_is_valid("1100000100")
    assert not nhs_number_is_valid("1100000101")


def test_normalise_strips_spaces_and_hyphens():
    assert normalise_nhs_number(" 943 476-5919 ") == "9434765919"


def test_validator_message_is_plain_english():
    with pytest.raises(ValidationError) as excinfo:
        validate_nhs_number("123")
    assert "Enter a valid NHS number" in excinfo.value.messages[0]
