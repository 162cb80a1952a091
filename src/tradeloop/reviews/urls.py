from django.urls import path

from tradeloop.reviews import views

app_name = "reviews"
urlpatterns: list = [
    path("reviews/", views.mine, name="mine"),
    path("reviews/write/<str:record_kind>/<int:record_id>/", views.write, name="write"),
    path("reviews/<int:review_id>/edit/", views.edit, name="edit"),
    path("reviews/<int:review_id>/helpful/", views.helpful, name="helpful"),
    path("reviews/<int:review_id>/report/", views.report, name="report"),
    path("reviews/order/<str:number>/", views.order_reviews, name="order"),
    path("store/<slug:slug>/reputation/", views.seller_reputation, name="reputation"),
    path("reviews/<str:target_kind>/<int:target_id>/", views.target, name="target"),
    path("console/<int:org_id>/reviews/", views.console_reviews, name="console_reviews"),
    path("console/<int:org_id>/reviews/<int:review_id>/reply/", views.console_reply, name="console_reply"),
]
