"""Error codes of analytics. Listed in docs/api.md (tests/api/test_error_codes.py keeps the two in step)."""

from enum import StrEnum


class Code(StrEnum):
    BAD_PERIOD = "bad_period"  # an unreadable date, the end before the start, or more than a year
