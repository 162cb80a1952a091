"""Shapes shared by every router: the error body, cursor pages, ids, safe text and money as decimal strings."""

from __future__ import annotations

from decimal import Decimal
from functools import cache
from typing import Annotated, Any, Generic, Literal, TypeVar, get_args

from django.core.files.storage import default_storage
from django.http import HttpRequest
from ninja import Field, Schema
from ninja.operation import Operation
from pydantic import (
    AfterValidator,
    BeforeValidator,
    ConfigDict,
    PlainSerializer,
    ValidationInfo,
    WithJsonSchema,
    field_validator,
    model_validator,
)

from tradeloop.core.errors import ValidationFailed
from tradeloop.core.money import SUPPORTED_CURRENCIES, Money, quantize

T = TypeVar("T")

# A schema's validator and serializer are built the first time it is used, not at import: a web worker builds only
# the ones its requests need (all of them, built at once, held ~15 MB in every process).
Schema.model_config["defer_build"] = True


def _share_response_models() -> None:
    """ninja wraps each response of each operation in a class of its own ({"response": X}); 311 operations with
    their error codes made 1,831 such classes (~25 MB in every process). One class per response type serves them
    all: the class holds nothing of the operation."""
    wrap = Operation._create_response_model
    shared: dict[Any, Any] = {}

    def create_response_model(self: Operation, response_param: Any) -> Any:
        try:
            model = shared.get(response_param)
        except TypeError:  # an unhashable annotation: a class of its own, as ninja does
            return wrap(self, response_param)
        if model is None:
            model = shared[response_param] = wrap(self, response_param)
        return model

    Operation._create_response_model = create_response_model  # type: ignore[method-assign]


_share_response_models()

# Database ids are 64-bit; a larger number can only be a typo, and must not reach the database as one.
MAX_ID = 2**63 - 1
MAX_INT = 2**31 - 1
DEFAULT_LIMIT = 24
MAX_LIMIT = 100


def _not_a_bool(value: Any) -> Any:
    # pydantic takes JSON true for 1; no count, id or amount of ours is ever written as true or false.
    if isinstance(value, bool):
        raise ValueError("must be a number, not true or false")
    return value


NotBool = BeforeValidator(_not_a_bool)
Id = Annotated[int, NotBool, Field(ge=1, le=MAX_ID)]
# A number of units (in stock, to ship, to return): never negative, and it fits the database's integer.
Count = Annotated[int, NotBool, Field(ge=0, le=MAX_INT)]


def _no_nul(value: str) -> str:
    # PostgreSQL refuses NUL in text and jsonb: reject it here as bad input instead of failing there.
    if "\x00" in value:
        raise ValueError("must not contain NUL characters")
    return value


Text = Annotated[str, AfterValidator(_no_nul)]
Currency = Literal[SUPPORTED_CURRENCIES]  # type: ignore[valid-type]
# Amounts in: a decimal number or string with at most 4 decimal places (what the database keeps).
AmountIn = Annotated[
    Decimal,
    Field(max_digits=18, decimal_places=4, allow_inf_nan=False, examples=["12.50"]),
]


def _is_number(annotation: Any) -> bool:
    if annotation in (int, float, Decimal):
        return True
    return any(_is_number(arg) for arg in get_args(annotation) if arg is not bool)


@cache
def _number_fields(schema: type[Schema]) -> frozenset[str]:
    return frozenset(name for name, f in schema.model_fields.items() if _is_number(f.annotation))


class InputSchema(Schema):
    """Every JSON body: unknown keys are refused (a typo must not pass silently), and a number is never true/false."""

    model_config = ConfigDict(extra="forbid")

    @field_validator("*", mode="before")
    @classmethod
    def _numbers_are_not_booleans(cls, value: Any, info: ValidationInfo) -> Any:
        return _not_a_bool(value) if info.field_name in _number_fields(cls) else value


class LineQuantityIn(InputSchema):
    """Units of one order line (to ship, to return)."""

    line_id: Id = Field(..., description="The order line's id")
    quantity: Count


def line_quantities(items: list[LineQuantityIn]) -> dict[int, int]:
    """Order line id → units, as the services take them; a line named twice is refused (400 on `lines`)."""
    quantities: dict[int, int] = {}
    for item in items:
        if item.line_id in quantities:
            raise ValidationFailed("each line may appear once", field="lines")
        quantities[item.line_id] = item.quantity
    return quantities


class PostalAddressIn(InputSchema):
    """An address as people write it: an address book entry, a company's delivery address (core.models.PostalAddress).
    Blank required fields are the services' to refuse, with the field named (400), like the web forms."""

    name: Text = Field(..., max_length=120)
    phone: Text = Field(..., max_length=40)
    line1: Text = Field(..., max_length=240)
    line2: Text = Field("", max_length=240)
    city: Text = Field(..., max_length=80)
    region: Text = Field("", max_length=80)
    postcode: Text = Field("", max_length=20)
    country: Text = Field("CN", min_length=2, max_length=2)
    is_default: bool = False


class PostalAddressOut(Schema):
    """An address as an order keeps it (`PostalAddress.snapshot()`)."""

    name: str
    phone: str
    line1: str
    line2: str
    city: str
    region: str
    postcode: str
    country: str


class ErrorOut(Schema):
    """Every 4xx answer has this body."""

    code: str = Field(..., examples=["invalid"], description="Stable machine-readable error code")
    message: str = Field(..., examples=["price cannot be negative"], description="Human-readable explanation")
    field: str | None = Field(None, examples=["price"], description="The input field at fault, if any")


class PageOut(Schema, Generic[T]):
    """One page of a keyset-paginated list. Pass `next_cursor` back as `cursor` for the next page."""

    items: list[T]
    next_cursor: str | None = Field(None, description="Null on the last page")


class PageQuery(Schema):
    cursor: Text | None = Field(None, max_length=500, description="`next_cursor` from the previous page")
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description="Items per page (1–100)")


def errors(*codes: int) -> dict[int, type[ErrorOut]]:
    """`response={200: X, **errors(401, 404)}`: document the error answers an endpoint can give."""
    return dict.fromkeys(codes, ErrorOut)


def plain_decimal(value: Decimal) -> str:
    """A decimal string without an exponent: Decimal("1E+1") → "10" (str() would give "1E+1")."""
    return format(value, "f")


def _amount_of(value: Any) -> Any:
    return value.amount if isinstance(value, Money) else value


_DECIMAL_SCHEMA = {"type": "string", "format": "decimal", "pattern": r"^-?\d+(\.\d+)?$", "examples": ["12.50"]}
_DECIMAL_SERIALIZER = PlainSerializer(plain_decimal, return_type=str)


class _IsAmount:
    """Marks `Amount` fields, which MoneyOut rounds to its currency."""


_AMOUNT = _IsAmount()
# A number out of the API: a plain decimal string, never a float, never an exponent.
DecimalOut = Annotated[Decimal, _DECIMAL_SERIALIZER, WithJsonSchema(_DECIMAL_SCHEMA)]
# Money out of the API: an `Amount` field of a `MoneyOut` schema (from a Decimal or a core.money.Money), rounded to
# the minor unit of the schema's `currency` and rendered as a plain decimal string.
Amount = Annotated[Decimal, BeforeValidator(_amount_of), _DECIMAL_SERIALIZER, WithJsonSchema(_DECIMAL_SCHEMA), _AMOUNT]


def _holds_amount(annotation: Any) -> bool:
    """`Amount`, `Amount | None`: pydantic keeps the markers of an optional field inside the union."""
    if _AMOUNT in getattr(annotation, "__metadata__", ()):
        return True
    return any(_holds_amount(arg) for arg in get_args(annotation))


@cache
def _amount_fields(schema: type[Schema]) -> tuple[str, ...]:
    fields = schema.model_fields.items()
    return tuple(n for n, f in fields if _AMOUNT in f.metadata or _holds_amount(f.annotation))


class MoneyOut(Schema):
    """The one way money leaves the API: every `Amount` field of a subclass is a decimal string in `currency`
    ("12.50" CNY, "1200" JPY), so no schema rounds or formats money itself."""

    currency: str = Field(..., description="ISO 4217 code of every amount in this object")

    @model_validator(mode="after")
    def _round_amounts(self) -> MoneyOut:
        if self.currency:
            for name in _amount_fields(type(self)):
                value = getattr(self, name)
                if value is not None:
                    setattr(self, name, quantize(value, self.currency))
        return self


def media_url(request: HttpRequest | None, name: str) -> str | None:
    """Absolute URL of a stored file (an image), so programs can fetch it as is."""
    if not name:
        return None
    url = default_storage.url(name)
    return request.build_absolute_uri(url) if request is not None else url
