from django.urls import path

from tradeloop.checkout import purchase_views, quick_order_views, views

app_name = "checkout"

urlpatterns = [
    path("cart/", views.cart, name="cart"),
    path("cart/add/", views.add_to_cart, name="add"),
    path("cart/items/<int:item_id>/", views.update_item, name="update_item"),
    path("checkout/", views.checkout, name="checkout"),
    path("checkout/<int:checkout_id>/done/", views.done, name="done"),
    path("checkout/<int:checkout_id>/pay/", views.pay_again, name="pay_again"),
    path("orders/<str:number>/pay/", views.pay_order, name="pay_order"),
    path("quick-order/", quick_order_views.quick_order_page, name="quick_order"),
    path("account/requisition-lists/", quick_order_views.requisition_lists, name="requisition_lists"),
    path("account/requisition-lists/<int:list_id>/", quick_order_views.requisition_list, name="requisition_list"),
    path(
        "account/requisition-lists/<int:list_id>/<str:action>/",
        quick_order_views.requisition_list_action,
        name="requisition_list_action",
    ),
    path("console/<int:org_id>/purchases/", purchase_views.console_purchases, name="console_purchases"),
    path("console/<int:org_id>/purchases/<int:order_id>/", purchase_views.console_purchase, name="console_purchase"),
    path("account/addresses/", views.addresses, name="addresses"),
    path("account/addresses/new/", views.address_form, name="address_new"),
    path("account/addresses/<int:address_id>/", views.address_form, name="address_edit"),
    path(
        "account/addresses/<int:address_id>/<str:action>/",
        views.address_action,
        name="address_action",
    ),
]
