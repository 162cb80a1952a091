"""Error codes of the negotiation engine. Listed in docs/api.md (tests/api/test_error_codes.py keeps the two in step)."""

from enum import StrEnum


class Code(StrEnum):
    NO_POLICY = "no_policy"
    SUPERSEDED = "superseded"
    EXPIRED = "expired"
    CLOSED = "closed"
    ALREADY_ACCEPTED = "already_accepted"
    NOT_YOUR_TURN = "not_your_turn"
    TOO_MANY_ROUNDS = "too_many_rounds"
    OVER_CAP = "over_cap"
