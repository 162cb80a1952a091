from django.urls import path  # noqa: F401

app_name = "o2o"
# Each feature module adds its pages here, in its own block (place_views, deal_views, voucher_views,
# redemption_views, booking_views, request_views).
urlpatterns: list = []

from tradeloop.o2o import place_views  # noqa: E402  (places and nearby search)

urlpatterns += [
    path("local/", place_views.local_home, name="local"),
    path("local/places/<int:place_id>/", place_views.place_page, name="place"),
    path("console/<int:org_id>/places/", place_views.console_places, name="console_places"),
    path("console/<int:org_id>/places/new/", place_views.console_place_new, name="console_place_new"),
    path("console/<int:org_id>/places/<int:place_id>/", place_views.console_place_edit, name="console_place_edit"),
    path(
        "console/<int:org_id>/places/<int:place_id>/photos/<int:photo_id>/remove/",
        place_views.console_photo_remove,
        name="console_place_photo_remove",
    ),
]
