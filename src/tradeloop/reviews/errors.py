"""Error codes of reviews. Listed in docs/api.md (tests/api/test_error_codes.py keeps the two in step)."""

from enum import StrEnum


class Code(StrEnum):
    NOT_REVIEWABLE = "not_reviewable"
    ALREADY_REVIEWED = "already_reviewed"
    NOT_EDITABLE = "not_editable"
    ALREADY_REPLIED = "already_replied"
    NOT_REPLIED = "not_replied"
    TOO_MANY_REVIEWS = "too_many_reviews"
    UNKNOWN_SCORE = "unknown_score"
    OWN_REVIEW = "own_review"
    ALREADY_REPORTED = "already_reported"
    # the photo checks answer the same codes as dispute photos (c2c)
    PHOTO_TYPE = "photo_type"
    PHOTO_TOO_LARGE = "photo_too_large"
    TOO_MANY_PHOTOS = "too_many_photos"
