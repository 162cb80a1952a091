"""Error codes of payments, refunds and provider webhooks. Listed in docs/api.md (tests/api/test_error_codes.py keeps the two in step)."""

from enum import StrEnum


class Code(StrEnum):
    BAD_SIGNATURE = "bad_signature"
    NOT_CAPTURED = "not_captured"
    REFUND_TOO_LARGE = "refund_too_large"
    REFUND_IN_PROGRESS = "refund_in_progress"
    REF_TAKEN = "ref_taken"
