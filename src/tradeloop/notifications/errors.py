"""Error codes of notifications and webhooks. Listed in docs/api.md (tests/api/test_error_codes.py keeps the two in
step)."""

from enum import StrEnum


class Code(StrEnum):
    WEBHOOK_URL_NOT_ALLOWED = "webhook_url_not_allowed"
    UNKNOWN_WEBHOOK_EVENT = "unknown_webhook_event"
