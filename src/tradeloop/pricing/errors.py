"""Error codes of price resolution, order rules and price lists. Listed in docs/api.md (tests/api/test_error_codes.py
keeps the two in step)."""

from enum import StrEnum


class Code(StrEnum):
    NOT_FOR_SALE = "not_for_sale"
    BELOW_MINIMUM = "below_minimum"
    NOT_A_MULTIPLE = "not_a_multiple"
    BAD_ORDER_RULE = "bad_order_rule"
    CURRENCY_MISMATCH = "currency_mismatch"
    UNKNOWN_SKU = "unknown_sku"
    UNKNOWN_COMPANY = "unknown_company"
    DUPLICATE_ENTRY = "duplicate_entry"
    PRICE_LIST_NAME_TAKEN = "price_list_name_taken"
