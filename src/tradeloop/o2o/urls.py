from django.urls import path  # noqa: F401

app_name = "o2o"
# Each feature module adds its pages here, in its own block (place_views, deal_views, voucher_views,
# redemption_views, booking_views, request_views).
urlpatterns: list = []
