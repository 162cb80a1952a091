"""Error codes of buyer feedback. Listed in docs/api.md (tests/api/test_error_codes.py keeps the two in step)."""

from enum import StrEnum


class Code(StrEnum):
    TOO_MANY_SUGGESTIONS = "too_many_suggestions"
    OWN_SUGGESTION = "own_suggestion"
    SUGGESTION_CLOSED = "suggestion_closed"
    NOT_COMPLETED = "order_not_completed"
    ALREADY_GIVEN = "feedback_already_given"
