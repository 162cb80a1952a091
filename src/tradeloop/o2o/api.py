"""o2o's part of the REST API: one router per feature module, put together here (each in its own block)."""

from ninja import Router

router = Router(tags=["O2O"])
seller_router = Router(tags=["O2O"])

from tradeloop.o2o import place_api  # noqa: E402  (places and nearby search)

router.add_router("", place_api.router)
seller_router.add_router("", place_api.seller_router)

from tradeloop.o2o import local_request_api  # noqa: E402  (consumer requests answered by nearby businesses)

router.add_router("", local_request_api.router)
seller_router.add_router("", local_request_api.seller_router)

from tradeloop.o2o import booking_api  # noqa: E402  (services, free slots and bookings)

router.add_router("", booking_api.router)
seller_router.add_router("", booking_api.seller_router)

from tradeloop.o2o import deal_api, redemption_api, voucher_api  # noqa: E402  (deals, vouchers, redemption)

router.add_router("", deal_api.router)
router.add_router("", voucher_api.router)
seller_router.add_router("", deal_api.seller_router)
seller_router.add_router("", redemption_api.seller_router)
