from django.urls import path

from tradeloop.inventory import views

app_name = "inventory"

# Seller console pages (inside /console/<org_id>/, like the console's own).
urlpatterns = [
    path("console/<int:org_id>/stock/", views.console_stock, name="console_stock"),
    path("console/<int:org_id>/stock/receive/", views.console_receive, name="console_receive"),
    path("console/<int:org_id>/stock/<int:stock_id>/", views.console_stock_row, name="console_stock_row"),
    path("console/<int:org_id>/warehouses/", views.console_warehouses, name="console_warehouses"),
    path("console/<int:org_id>/warehouses/<int:warehouse_id>/", views.console_warehouse, name="console_warehouse"),
]
