"""Error codes of returns and refunds. Listed in docs/api.md (tests/api/test_error_codes.py keeps the two in step)."""

from enum import StrEnum


class Code(StrEnum):
    RETURN_WINDOW_CLOSED = "return_window_closed"
    TOO_MANY = "too_many"
    NOT_RETURNABLE = "not_returnable"
