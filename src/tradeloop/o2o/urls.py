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

from tradeloop.o2o import deal_views, redemption_views, voucher_views  # noqa: E402  (deals, vouchers, redemption)

urlpatterns += [
    path("local/deals/<int:deal_id>/", deal_views.deal_page, name="deal"),
    path("local/deals/<int:deal_id>/buy/", deal_views.buy, name="deal_buy"),
    path("local/vouchers/", voucher_views.my_vouchers, name="vouchers"),
    path("local/vouchers/<int:voucher_id>/", voucher_views.voucher_page, name="voucher"),
    path("local/vouchers/<int:voucher_id>/refund/", voucher_views.voucher_refund, name="voucher_refund"),
    path("console/<int:org_id>/deals/", deal_views.console_deals, name="console_deals"),
    path("console/<int:org_id>/deals/new/", deal_views.console_deal_new, name="console_deal_new"),
    path("console/<int:org_id>/deals/<int:deal_id>/", deal_views.console_deal_edit, name="console_deal_edit"),
    path(
        "console/<int:org_id>/deals/<int:deal_id>/<str:action>/",
        deal_views.console_deal_action,
        name="console_deal_action",
    ),
    path("console/<int:org_id>/redeem/", redemption_views.console_redeem, name="console_redeem"),
    path("console/<int:org_id>/redemptions/", redemption_views.console_redemptions, name="console_redemptions"),
    path(
        "console/<int:org_id>/redemptions/<int:voucher_id>/undo/",
        redemption_views.console_undo,
        name="console_undo",
    ),
]

from tradeloop.o2o import booking_views, staffing_views  # noqa: E402  (bookings, services and staff)

urlpatterns += [
    path("local/services/<int:service_id>/", booking_views.service_page, name="service"),
    path("local/services/<int:service_id>/book/", booking_views.book, name="book"),
    path("local/bookings/", booking_views.my_bookings, name="bookings"),
    path("local/bookings/<int:booking_id>/", booking_views.booking_page, name="booking"),
    path("local/bookings/<int:booking_id>/cancel/", booking_views.booking_cancel, name="booking_cancel"),
    path("local/bookings/<int:booking_id>/pay/", booking_views.booking_pay, name="booking_pay"),
    path("local/bookings/<int:booking_id>/calendar.ics", booking_views.booking_ics, name="booking_ics"),
    path("console/<int:org_id>/bookings/", booking_views.console_bookings, name="console_bookings"),
    path(
        "console/<int:org_id>/bookings/<int:booking_id>/<str:action>/",
        booking_views.console_booking_action,
        name="console_booking_action",
    ),
    path("console/<int:org_id>/services/", staffing_views.console_services, name="console_services"),
    path("console/<int:org_id>/services/new/", staffing_views.console_service_new, name="console_service_new"),
    path(
        "console/<int:org_id>/services/<int:service_id>/",
        staffing_views.console_service_edit,
        name="console_service_edit",
    ),
    path("console/<int:org_id>/staff/new/", staffing_views.console_staff_new, name="console_staff_new"),
    path("console/<int:org_id>/staff/<int:staff_id>/", staffing_views.console_staff_edit, name="console_staff_edit"),
    path(
        "console/<int:org_id>/staff/<int:staff_id>/days-off/",
        staffing_views.console_day_off_add,
        name="console_day_off_add",
    ),
    path(
        "console/<int:org_id>/staff/<int:staff_id>/days-off/<int:day_off_id>/remove/",
        staffing_views.console_day_off_remove,
        name="console_day_off_remove",
    ),
]
