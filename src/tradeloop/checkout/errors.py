"""Error codes of the cart and checkout. Listed in docs/api.md (tests/api/test_error_codes.py keeps the two in step)."""

from enum import StrEnum


class Code(StrEnum):
    NOT_FOR_SALE = "not_for_sale"
    MIXED_CURRENCY = "mixed_currency"
    COUPON_NOT_APPLIED = "coupon_not_applied"
    NOT_PAYABLE = "not_payable"
