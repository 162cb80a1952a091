"""Error codes of b2b. Listed in docs/api.md (tests/api/test_error_codes.py keeps the two in step)."""

from enum import StrEnum


class Code(StrEnum):
    # RFQs and quotes (rfqs.py, quotes.py)
    RFQ_AUDIENCE = "rfq_audience"
    RFQ_CLOSED = "rfq_closed"
    ALREADY_QUOTED = "already_quoted"
    LINE_NEEDS_SKU = "line_needs_sku"
    FILE_TYPE = "file_type"
    FILE_TOO_LARGE = "file_too_large"
    TOO_MANY_FILES = "too_many_files"
    # companies, approvals, credit (companies.py, approvals.py, credit.py)
    COMPANY_NOT_APPROVED = "company_not_approved"
    CREDIT_EXCEEDED = "credit_exceeded"
    CREDIT_CURRENCY = "credit_currency"
    ALREADY_DECIDED = "already_decided"
    # the supplier showcase (showcase.py)
    NOT_A_SUPPLIER = "not_a_supplier"
