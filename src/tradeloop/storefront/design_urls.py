from django.urls import path

from tradeloop.storefront import console_views as views

app_name = "store_design"
urlpatterns = [
    path("console/<int:org_id>/store-design/", views.design, name="edit"),
    path("console/<int:org_id>/store-design/colours/", views.colours, name="colours"),
    path("console/<int:org_id>/store-design/sections/add/", views.add_section, name="add"),
    path("console/<int:org_id>/store-design/sections/edit/", views.edit_section, name="section"),
    path("console/<int:org_id>/store-design/sections/move/", views.move_section, name="move"),
    path("console/<int:org_id>/store-design/sections/remove/", views.remove_section, name="remove"),
    path("console/<int:org_id>/store-design/publish/", views.publish, name="publish"),
    path("console/<int:org_id>/store-design/discard/", views.discard, name="discard"),
]
