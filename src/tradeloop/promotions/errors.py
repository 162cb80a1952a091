"""Error codes of promotions and coupons. Listed in docs/api.md (tests/api/test_error_codes.py keeps the two in step)."""

from enum import StrEnum


class Code(StrEnum):
    PROMOTION_EXHAUSTED = "promotion_exhausted"
    DUPLICATE_CODE = "duplicate_code"
