from django.urls import path

from tradeloop.fulfilment import views

app_name = "fulfilment"

# Seller console pages (inside /console/<org_id>/, like the console's own).
urlpatterns = [
    path("console/<int:org_id>/shipping/", views.console_shipping_methods, name="console_shipping_methods"),
    path("console/<int:org_id>/shipping/new/", views.console_shipping_method_new, name="console_shipping_method_new"),
    path(
        "console/<int:org_id>/shipping/<int:method_id>/",
        views.console_shipping_method_edit,
        name="console_shipping_method_edit",
    ),
    path(
        "console/<int:org_id>/shipping/<int:method_id>/delete/",
        views.console_shipping_method_delete,
        name="console_shipping_method_delete",
    ),
    path("console/<int:org_id>/orders/<int:order_id>/ship/", views.console_ship, name="console_ship"),
    path(
        "console/<int:org_id>/shipments/<int:shipment_id>/delivered/",
        views.console_mark_delivered,
        name="console_mark_delivered",
    ),
]
