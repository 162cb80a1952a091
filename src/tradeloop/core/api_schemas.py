"""Shapes shared by every router: the error body, cursor pages, ids, safe text and money as decimal strings."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Generic, Literal, TypeVar

from django.core.files.storage import default_storage
from django.http import HttpRequest
from ninja import Field, Schema
from pydantic import AfterValidator

from tradeloop.core.money import SUPPORTED_CURRENCIES, quantize

T = TypeVar("T")

# Database ids are 64-bit; a larger number can only be a typo, and must not reach the database as one.
MAX_ID = 2**63 - 1
MAX_INT = 2**31 - 1
DEFAULT_LIMIT = 24
MAX_LIMIT = 100

Id = Annotated[int, Field(ge=1, le=MAX_ID)]


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


def amount(value: Decimal | None, currency: str) -> str | None:
    """Money leaves the API as a decimal string rounded to the currency's minor unit, never as a float."""
    return None if value is None else str(quantize(Decimal(value), currency))


def media_url(request: HttpRequest | None, name: str) -> str | None:
    """Absolute URL of a stored file (an image), so programs can fetch it as is."""
    if not name:
        return None
    url = default_storage.url(name)
    return request.build_absolute_uri(url) if request is not None else url
