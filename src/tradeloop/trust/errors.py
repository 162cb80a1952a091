"""Error codes of seller verification. Listed in docs/api.md (tests/api/test_error_codes.py keeps the two in step)."""

from enum import StrEnum


class Code(StrEnum):
    BAD_REGISTRATION_NUMBER = "bad_registration_number"
    BAD_DOCUMENT = "bad_document"
    DOCUMENT_TOO_LARGE = "document_too_large"
    APPLICATION_INCOMPLETE = "application_incomplete"
    UNDER_REVIEW = "verification_under_review"
    NOT_SELLING = "organization_not_selling"
