"""Error codes of sponsored placement. Listed in docs/api.md (tests/api/test_error_codes.py keeps the two in step)."""

from enum import StrEnum


class Code(StrEnum):
    NOT_OWN_ITEM = "campaign_item_not_own"
    BID_ABOVE_BUDGET = "bid_above_budget"
    CAMPAIGN_EMPTY = "campaign_empty"
    WALLET_TOO_LOW = "balance_too_low"
    CLICK_NOT_CHARGED = "click_not_charged"
