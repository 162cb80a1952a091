"""Error codes of the cart and checkout. Listed in docs/api.md (tests/api/test_error_codes.py keeps the two in step)."""

from enum import StrEnum


class Code(StrEnum):
    NOT_FOR_SALE = "not_for_sale"
    MIXED_CURRENCY = "mixed_currency"
    COUPON_NOT_APPLIED = "coupon_not_applied"
    NOT_PAYABLE = "not_payable"
    PAYMENT_IN_PROGRESS = "payment_in_progress"
    NOT_RECEIVABLE = "not_receivable"
    # quick order: a line's problem, or the paste as a whole
    OUT_OF_STOCK = "out_of_stock"
    UNKNOWN_SKU = "unknown_sku"
    AMBIGUOUS_SKU = "ambiguous_sku"
    BAD_LINE = "bad_line"
    BAD_QUANTITY = "bad_quantity"
    BAD_FILE = "bad_file"
    TOO_MANY_LINES = "too_many_lines"
    NOTHING_TO_ADD = "nothing_to_add"
    CART_FULL = "cart_full"
