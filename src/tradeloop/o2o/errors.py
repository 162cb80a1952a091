"""Error codes of o2o. Listed in docs/api.md (tests/api/test_error_codes.py keeps the two in step)."""

from enum import StrEnum


class Code(StrEnum):
    pass  # each feature module adds its block: places, deals, vouchers, redemption, bookings, requests
