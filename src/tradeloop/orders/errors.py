"""Error codes of orders: placing, refunds, line counters. Listed in docs/api.md (tests/api/test_error_codes.py keeps the two in step)."""

from enum import StrEnum


class Code(StrEnum):
    BAD_MODE = "bad_mode"
    NUMBERING_FAILED = "numbering_failed"
    REFUND_TOO_LARGE = "refund_too_large"
    REFUND_FAILED = "refund_failed"
    OVER_SHIPPED = "over_shipped"
    TOO_MANY = "too_many"
    BAD_TERMS = "bad_terms"
    NOT_HELD = "not_held"
    ON_TERMS = "on_terms"
