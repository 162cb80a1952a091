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

from tradeloop.o2o import local_request_views  # noqa: E402  (consumer requests answered by nearby businesses)

urlpatterns += [
    path("local/requests/", local_request_views.my_requests, name="requests"),
    path("local/requests/new/", local_request_views.request_new, name="request_new"),
    path("local/requests/<int:request_id>/", local_request_views.request_detail, name="request"),
    path("local/requests/<int:request_id>/cancel/", local_request_views.request_cancel, name="request_cancel"),
    path(
        "local/requests/<int:request_id>/answers/<int:answer_id>/<str:action>/",
        local_request_views.request_answer_action,
        name="request_answer_action",
    ),
    path("console/<int:org_id>/requests/", local_request_views.console_requests, name="console_requests"),
    path(
        "console/<int:org_id>/requests/<int:request_id>/answer/",
        local_request_views.console_request_answer,
        name="console_request_answer",
    ),
    path(
        "console/<int:org_id>/requests/<int:request_id>/done/",
        local_request_views.console_request_done,
        name="console_request_done",
    ),
    path(
        "console/<int:org_id>/request-answers/<int:answer_id>/<str:action>/",
        local_request_views.console_answer_action,
        name="console_request_answer_action",
    ),
]
