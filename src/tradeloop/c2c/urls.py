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

from tradeloop.c2c import offer_views  # noqa: E402

urlpatterns += [
    path("offers/", offer_views.my_offers, name="offers"),
    path("offers/new/<int:product_id>/", offer_views.offer_new, name="offer_new"),
    path("offers/listing/<int:listing_id>/", offer_views.listing_offers, name="listing_offers"),
    path("offers/<int:offer_id>/", offer_views.offer_detail, name="offer"),
    path("offers/<int:offer_id>/<str:action>/", offer_views.offer_action, name="offer_action"),
]
