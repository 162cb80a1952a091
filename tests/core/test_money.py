from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tradeloop.core.errors import ValidationFailed
from tradeloop.core.money import Money, format_money, quantize


def test_prices_are_formatted_for_the_language():
    assert format_money(Decimal("1280"), "CNY", "zh-hans") == "¥1,280.00"
    assert format_money(Decimal("1280"), "CNY", "en") == "CN¥1,280.00"
    assert format_money(Decimal("12.5"), "USD", "en") == "$12.50"
    assert format_money(Decimal("12.5"), "USD", "zh-hans") == "US$12.50"


def test_rounding_is_half_up_to_the_minor_unit():
    assert quantize(Decimal("0.005"), "CNY") == Decimal("0.01")
    assert quantize(Decimal("2.4999"), "USD") == Decimal("2.50")
    assert quantize(Decimal("1234.5"), "JPY") == Decimal("1235")


def test_money_refuses_to_mix_currencies():
    with pytest.raises(ValueError):
        Money.of("1", "CNY") + Money.of("1", "USD")


@pytest.mark.parametrize("bad", ["abc", "NaN", "Infinity", "", "1e9999x"])
def test_bad_amounts_are_a_validation_error(bad):
    with pytest.raises(ValidationFailed):
        Money.of(bad, "CNY")


def test_unknown_currency_is_refused():
    with pytest.raises(ValidationFailed) as error:
        Money.of("1", "XXX")
    assert error.value.field == "currency"


@given(st.lists(st.decimals(min_value=0, max_value=10**9, places=4), max_size=20))
def test_sums_are_exact(amounts):
    total = sum((Money(a, "CNY") for a in amounts), Money(Decimal(0), "CNY"))
    assert total.amount == sum(amounts, Decimal(0))


@pytest.mark.parametrize("huge", ["1e30", "100000000000000", "0.00001"])
def test_amounts_that_do_not_fit_the_database_are_refused(huge):
    with pytest.raises(ValidationFailed):
        Money.of(huge, "CNY")


def test_trailing_zeros_are_fine():
    assert Money.of("12.500000", "CNY").amount == Decimal("12.5")
