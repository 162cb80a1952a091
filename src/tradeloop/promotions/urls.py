from django.urls import path

from tradeloop.promotions import views

app_name = "promotions"
urlpatterns = [
    path("console/<int:org_id>/promotions/", views.promotion_list, name="list"),
    path("console/<int:org_id>/promotions/new/", views.promotion_create, name="create"),
    path("console/<int:org_id>/promotions/flash-sale/", views.flash_sale_create, name="flash_create"),
    path("console/<int:org_id>/promotions/<int:promotion_id>/", views.promotion_edit, name="edit"),
    path("console/<int:org_id>/promotions/<int:promotion_id>/active/", views.promotion_active, name="active"),
]
