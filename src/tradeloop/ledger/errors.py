"""Error codes of the ledger. Listed in docs/api.md (tests/api/test_error_codes.py keeps the two in step)."""

from enum import StrEnum


class Code(StrEnum):
    UNBALANCED = "unbalanced"
    NOT_PAID = "not_paid"
    REFUND_TOO_LARGE = "refund_too_large"
    ESCROW_CLOSED = "escrow_closed"  # an escrow order released already, or holding nothing
    NOT_ISSUED = "not_issued"  # an invoice void without its issue posting
