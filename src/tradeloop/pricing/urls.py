from django.urls import path

from tradeloop.pricing import views

app_name = "pricing"
urlpatterns = [
    path("console/<int:org_id>/price-lists/", views.price_lists, name="console_price_lists"),
    path("console/<int:org_id>/price-lists/new/", views.price_list_create, name="console_price_list_create"),
    path("console/<int:org_id>/price-lists/<int:price_list_id>/", views.price_list_edit, name="console_price_list"),
    path(
        "console/<int:org_id>/price-lists/<int:price_list_id>/delete/",
        views.price_list_delete,
        name="console_price_list_delete",
    ),
    path("console/<int:org_id>/tiers/", views.tier_products, name="console_tier_products"),
    path("console/<int:org_id>/tiers/<int:product_id>/", views.product_tiers, name="console_product_tiers"),
]
