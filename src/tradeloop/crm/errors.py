"""Error codes of crm. Listed in docs/api.md (tests/api/test_error_codes.py keeps the two in step)."""

from enum import StrEnum


class Code(StrEnum):
    UNKNOWN_RULE = "unknown_rule"
    EMPTY_SEGMENT = "empty_segment"
    NOTE_NOT_YOURS = "note_not_yours"
