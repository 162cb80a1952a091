from django.urls import path

from tradeloop.storefront import console_views

app_name = "store_design"
urlpatterns = [
    path("console/<int:org_id>/store-design/", console_views.design, name="edit"),
]
