"""Error codes of c2c. Listed in docs/api.md (tests/api/test_error_codes.py keeps the two in step)."""

from enum import StrEnum


class Code(StrEnum):
    # listings (listings.py)
    PROHIBITED_CATEGORY = "prohibited_category"
    LISTING_NOT_ACTIVE = "listing_not_active"
    NOT_RENEWABLE = "not_renewable"
    ADDRESS_NEEDED = "address_needed"
    # offers (offers.py)
    TOO_MANY_OFFERS = "too_many_offers"
    OFFER_TOO_HIGH = "offer_too_high"
    OWN_LISTING = "own_listing"
    OFFER_OPEN = "offer_open"
    # escrow (escrow.py)
    NOT_ESCROWED = "not_escrowed"
    NOT_SHIPPED = "not_shipped"
    ALREADY_EXTENDED = "already_extended"
    ESCROW_CLOSED = "escrow_closed"
    # disputes (disputes.py)
    DISPUTE_OPEN = "dispute_open"
    DISPUTE_CLOSED = "dispute_closed"
    PHOTO_TYPE = "photo_type"
    PHOTO_TOO_LARGE = "photo_too_large"
    TOO_MANY_PHOTOS = "too_many_photos"
    # ratings (ratings.py)
    ALREADY_RATED = "already_rated"
    NOT_RATEABLE = "not_rateable"
    # watching and saved searches (watching.py)
    TOO_MANY_SAVED_SEARCHES = "too_many_saved_searches"
