"""Error codes of o2o. Listed in docs/api.md (tests/api/test_error_codes.py keeps the two in step)."""

from enum import StrEnum


class Code(StrEnum):
    # each feature module adds its block: places, deals, vouchers, redemption, bookings, requests
    # bookings (bookings.py, staffing.py)
    SLOT_TAKEN = "slot_taken"
    SLOT_UNAVAILABLE = "slot_unavailable"
    DEPOSIT_UNPAID = "deposit_unpaid"
    BOOKING_NOT_STARTED = "booking_not_started"
    VOUCHER_NOT_USABLE = "voucher_not_usable"
    # places (places.py)
    NOT_LOCAL_BUSINESS = "not_local_business"
    PLACE_PHOTO_TYPE = "place_photo_type"
    PLACE_PHOTO_TOO_LARGE = "place_photo_too_large"
    TOO_MANY_PLACE_PHOTOS = "too_many_place_photos"
    # consumer requests (local_requests.py)
    REQUEST_CLOSED = "request_closed"
    REQUEST_NOT_NEARBY = "request_not_nearby"
    REQUEST_ANSWERED = "request_answered"
    REQUEST_NOT_SERVICE = "request_not_service"
    OWN_REQUEST = "own_request"
    REQUEST_NOT_PAID = "request_not_paid"
    # deals, vouchers, redemption (deals.py, vouchers.py, redemption.py)
    DEAL_CLOSED = "deal_closed"
    DEAL_NOT_ON_SALE = "deal_not_on_sale"
    DEAL_SOLD_OUT = "deal_sold_out"
    OVER_PERSON_LIMIT = "over_person_limit"
    OWN_DEAL = "own_deal"
    VOUCHER_NOT_REFUNDABLE = "voucher_not_refundable"
    VOUCHER_USED = "voucher_used"
    VOUCHER_NOT_REDEEMABLE = "voucher_not_redeemable"
    NOT_VALID_HERE = "not_valid_here"
    NOT_REDEEMED = "not_redeemed"
    UNDO_WINDOW_OVER = "undo_window_over"
    TOO_MANY_WRONG_CODES = "too_many_wrong_codes"
