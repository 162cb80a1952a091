"""Error codes of shipping. Listed in docs/api.md (tests/api/test_error_codes.py keeps the two in step)."""

from enum import StrEnum


class Code(StrEnum):
    OVER_SHIPPED = "over_shipped"
    DUPLICATE = "duplicate"
