"""Error codes of invoices and their payments. Listed in docs/api.md (tests/api/test_error_codes.py keeps the two
in step)."""

from enum import StrEnum


class Code(StrEnum):
    NOT_PAYABLE = "not_payable"  # the invoice is paid or void: nothing is open on it
    OVERPAID = "overpaid"  # an offline payment of more than is open
