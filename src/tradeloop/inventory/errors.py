"""Error codes of stock. Listed in docs/api.md (tests/api/test_error_codes.py keeps the two in step)."""

from enum import StrEnum


class Code(StrEnum):
    OUT_OF_STOCK = "out_of_stock"
    DUPLICATE_SOURCE = "duplicate_source"
    NO_SUPPLY_SOURCE = "no_supply_source"
    NOTHING_TO_RECEIVE = "nothing_to_receive"
    OVER_RECEIPT = "over_receipt"
