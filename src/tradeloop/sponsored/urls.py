from django.urls import path

from tradeloop.sponsored import views

app_name = "sponsored"
urlpatterns: list = [
    path("sponsored/click/<str:token>/", views.click, name="click"),
    path("console/<int:org_id>/campaigns/", views.console_campaigns, name="console_campaigns"),
    path("console/<int:org_id>/campaigns/new/", views.console_campaign_create, name="console_campaign_create"),
    path("console/<int:org_id>/campaigns/wallet/", views.console_top_up, name="console_top_up"),
    path("console/<int:org_id>/campaigns/<int:campaign_id>/", views.console_campaign, name="console_campaign"),
    path(
        "console/<int:org_id>/campaigns/<int:campaign_id>/edit/",
        views.console_campaign_edit,
        name="console_campaign_edit",
    ),
    path(
        "console/<int:org_id>/campaigns/<int:campaign_id>/state/",
        views.console_campaign_state,
        name="console_campaign_state",
    ),
]
