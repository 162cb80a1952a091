from django.urls import path  # noqa: F401

app_name = "c2c"
# Each feature module adds its pages here (listing_views, offer_views, escrow_views, dispute_views, rating_views,
# watch_views).
urlpatterns: list = []
