from django.urls import path  # noqa: F401

app_name = "c2c"
# Each feature module adds its pages here (listing_views, offer_views, escrow_views, dispute_views, rating_views,
# watch_views).
urlpatterns: list = []

from tradeloop.c2c import watch_views  # noqa: E402

urlpatterns += [
    path("watching/", watch_views.watching_page, name="watching"),
    path("watching/listings/<int:product_id>/", watch_views.toggle_watch, name="watch"),
    path("watching/searches/", watch_views.save_search, name="save_search"),
    path("watching/searches/<int:search_id>/delete/", watch_views.delete_search, name="delete_search"),
    path("watching/alerts/read/", watch_views.mark_read, name="alerts_read"),
]

from tradeloop.c2c import dispute_views, escrow_views  # noqa: E402

urlpatterns += [
    path("orders/<int:order_id>/confirm-receipt/", escrow_views.confirm_receipt, name="confirm_receipt"),
    path("orders/<int:order_id>/extend-receipt/", escrow_views.extend_receipt, name="extend_receipt"),
    path("orders/<int:order_id>/dispute/", dispute_views.dispute_open, name="dispute_open"),
    path("disputes/", dispute_views.my_disputes, name="disputes"),
    path("disputes/<int:dispute_id>/", dispute_views.dispute_detail, name="dispute"),
    path("disputes/<int:dispute_id>/photos/<int:photo_id>/", dispute_views.dispute_photo, name="dispute_photo"),
    path("disputes/<int:dispute_id>/<str:action>/", dispute_views.dispute_action, name="dispute_action"),
    path("console/<int:org_id>/disputes/", dispute_views.console_disputes, name="console_disputes"),
]

from tradeloop.c2c import offer_views  # noqa: E402

urlpatterns += [
    path("offers/", offer_views.my_offers, name="offers"),
    path("offers/new/<int:product_id>/", offer_views.offer_new, name="offer_new"),
    path("offers/listing/<int:listing_id>/", offer_views.listing_offers, name="listing_offers"),
    path("offers/<int:offer_id>/", offer_views.offer_detail, name="offer"),
    path("offers/<int:offer_id>/<str:action>/", offer_views.offer_action, name="offer_action"),
]

from tradeloop.c2c import listing_views  # noqa: E402

urlpatterns += [
    path("sell/item/", listing_views.sell_item, name="sell_item"),
    path("sell/listings/", listing_views.my_listings, name="my_listings"),
    path("sell/listings/<int:listing_id>/edit/", listing_views.edit_listing, name="edit_listing"),
    path("sell/listings/<int:listing_id>/<str:action>/", listing_views.listing_action, name="listing_action"),
    path("listings/<int:listing_id>/buy/", listing_views.buy_now, name="buy_now"),
]

from tradeloop.c2c import rating_views  # noqa: E402

urlpatterns += [
    path("orders/<int:order_id>/ratings/", rating_views.order_ratings, name="order_ratings"),
    path("people/<int:org_id>/", rating_views.profile, name="profile"),
    path("people/<int:org_id>/ratings/", rating_views.profile_ratings, name="profile_ratings"),
]
