"""Money: Decimal amount + ISO currency. Rounding and formatting live here and nowhere else."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal, InvalidOperation

from babel.numbers import format_currency, get_currency_precision
from django.utils.translation import gettext

from tradeloop.core.errors import ValidationFailed

MAX_AMOUNT = Decimal(10) ** 14  # DECIMAL(18, 4) holds 14 digits before the point
SUPPORTED_CURRENCIES = ("CNY", "USD", "EUR", "HKD", "JPY")
BABEL_LOCALES = {"en": "en_US", "zh-hans": "zh_Hans_CN", "zh_Hans": "zh_Hans_CN"}


def quantize(amount: Decimal, currency: str) -> Decimal:
    """Round to the currency's minor unit (2 places for CNY/USD, 0 for JPY), half up."""
    exp = Decimal(1).scaleb(-get_currency_precision(currency))
    return amount.quantize(exp, rounding=ROUND_HALF_UP)


def parse_amount(value: object, *, field: str = "amount") -> Decimal:
    try:
        amount = Decimal(str(value).strip())
    except (InvalidOperation, ValueError) as exc:
        raise ValidationFailed(gettext("%(value)s is not a number") % {"value": repr(value)}, field=field) from exc
    if not amount.is_finite():
        raise ValidationFailed(gettext("%(value)s is not a number") % {"value": repr(value)}, field=field)
    if abs(amount) >= MAX_AMOUNT or amount.normalize().as_tuple().exponent < -4:
        raise ValidationFailed(
            gettext("%(value)s is out of range (up to 14 digits and 4 decimal places)") % {"value": value}, field=field
        )
    return amount


def check_currency(code: str, *, field: str = "currency") -> str:
    code = (code or "").upper()
    if code not in SUPPORTED_CURRENCIES:
        raise ValidationFailed(gettext("unsupported currency %(currency)s") % {"currency": repr(code)}, field=field)
    return code


@dataclass(frozen=True, slots=True)
class Money:
    amount: Decimal
    currency: str

    def __post_init__(self) -> None:
        object.__setattr__(self, "amount", Decimal(self.amount))

    @classmethod
    def of(cls, amount: object, currency: str) -> Money:
        return cls(parse_amount(amount), check_currency(currency))

    def rounded(self) -> Money:
        return Money(quantize(self.amount, self.currency), self.currency)

    def _same(self, other: Money) -> None:
        if self.currency != other.currency:
            raise ValueError(f"cannot mix {self.currency} and {other.currency}")

    def __add__(self, other: Money) -> Money:
        self._same(other)
        return Money(self.amount + other.amount, self.currency)

    def __sub__(self, other: Money) -> Money:
        self._same(other)
        return Money(self.amount - other.amount, self.currency)

    def __mul__(self, factor: int | Decimal) -> Money:
        return Money(self.amount * Decimal(factor), self.currency)

    def __neg__(self) -> Money:
        return Money(-self.amount, self.currency)

    def __lt__(self, other: Money) -> bool:
        self._same(other)
        return self.amount < other.amount

    def format(self, language: str = "en") -> str:
        return format_money(self.amount, self.currency, language)

    def __str__(self) -> str:
        return self.format()


def format_money(amount: Decimal, currency: str, language: str = "en") -> str:
    locale = BABEL_LOCALES.get(language, "en_US")
    return format_currency(quantize(Decimal(amount), currency), currency, locale=locale)


def minor_unit(currency: str) -> Decimal:
    """The smallest amount of the currency: 0.01 for CNY/USD, 1 for JPY."""
    return Decimal(1).scaleb(-get_currency_precision(currency))


def allocate(total: Decimal, weights: list[Decimal], currency: str) -> list[Decimal]:
    """Split `total` over `weights` proportionally in whole minor units; the parts always sum to `total`.

    Largest remainder: every part is rounded down, then the leftover units go to the parts that lost most.
    """
    unit = minor_unit(currency)
    total = quantize(total, currency)
    weight_sum = sum(weights, Decimal(0))
    if not weights or weight_sum <= 0:
        return [Decimal(0)] * len(weights)
    exact = [total * w / weight_sum for w in weights]
    parts = [(e / unit).to_integral_value(rounding=ROUND_DOWN) * unit for e in exact]
    leftover = int((total - sum(parts, Decimal(0))) / unit)
    by_loss = sorted(range(len(weights)), key=lambda i: (parts[i] - exact[i], i))
    for i in by_loss[:leftover]:
        parts[i] += unit
    return parts
