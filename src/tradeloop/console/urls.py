from django.urls import path

from tradeloop.console import views

app_name = "console"

# Every page below /console/<org_id>/ works inside that organization; /console/ picks one.
urlpatterns = [
    path("", views.home, name="home"),
    path("<int:org_id>/", views.dashboard, name="dashboard"),
    path("<int:org_id>/products/", views.products, name="products"),
    path("<int:org_id>/products/bulk/", views.products_bulk, name="products_bulk"),
    path("<int:org_id>/products/new/", views.product_create, name="product_create"),
    path("<int:org_id>/products/<int:product_id>/", views.product_edit, name="product_edit"),
    path("<int:org_id>/products/<int:product_id>/status/", views.product_status, name="product_status"),
    path("<int:org_id>/team/", views.team, name="team"),
    path("<int:org_id>/team/invite/", views.invite, name="invite"),
    path("<int:org_id>/team/members/<int:membership_id>/role/", views.member_role, name="member_role"),
    path("<int:org_id>/team/members/<int:membership_id>/remove/", views.member_remove, name="member_remove"),
    path(
        "<int:org_id>/team/invitations/<int:invitation_id>/revoke/",
        views.invitation_revoke,
        name="invitation_revoke",
    ),
    path("<int:org_id>/settings/", views.store_settings, name="settings"),
]
