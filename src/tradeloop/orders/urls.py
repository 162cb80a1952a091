from django.urls import path

from tradeloop.orders import views

app_name = "orders"

urlpatterns = [
    # The buyer's order history.
    path("orders/", views.order_list, name="list"),
    path("orders/<str:number>/", views.order_detail, name="detail"),
    path("orders/<str:number>/cancel/", views.order_cancel, name="cancel"),
    # The seller console's order desk.
    path("console/<int:org_id>/orders/", views.console_orders, name="console_orders"),
    path("console/<int:org_id>/orders/export.csv", views.console_export, name="console_export"),
    path("console/<int:org_id>/orders/<int:order_id>/", views.console_order, name="console_order"),
    path("console/<int:org_id>/orders/<int:order_id>/cancel/", views.console_cancel, name="console_cancel"),
]
