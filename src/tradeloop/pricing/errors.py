"""Error codes of price resolution. Listed in docs/api.md (tests/api/test_error_codes.py keeps the two in step)."""

from enum import StrEnum


class Code(StrEnum):
    NOT_FOR_SALE = "not_for_sale"
