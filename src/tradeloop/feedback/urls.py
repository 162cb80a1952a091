from django.urls import path

from tradeloop.feedback import views

app_name = "feedback"
urlpatterns: list = [
    path("store/<slug:slug>/suggestions/", views.store_suggestions, name="store"),
    path("p/<int:product_id>/suggestions/", views.product_suggestions, name="product"),
    path("suggestions/<int:suggestion_id>/vote/", views.vote, name="vote"),
    path("orders/<str:number>/feedback/", views.order_feedback, name="order_feedback"),
    path("console/<int:org_id>/suggestions/", views.console_suggestions, name="console_suggestions"),
    path("console/<int:org_id>/suggestions/<int:suggestion_id>/status/", views.console_status, name="console_status"),
    path("console/<int:org_id>/suggestions/orders/", views.console_order_feedback, name="console_order_feedback"),
    path("console/<int:org_id>/demand/", views.console_demand, name="console_demand"),
]
