from django.urls import path

from tradeloop.crm import views

app_name = "crm"
urlpatterns: list = [
    path("console/<int:org_id>/customers/", views.customer_list, name="console_customers"),
    path("console/<int:org_id>/customers/tag/", views.bulk_tag, name="console_bulk_tag"),
    path("console/<int:org_id>/customers/<int:customer_id>/", views.customer_detail, name="console_customer"),
    path("console/<int:org_id>/customers/<int:customer_id>/tags/", views.customer_tag, name="console_customer_tag"),
    path("console/<int:org_id>/customers/<int:customer_id>/notes/", views.customer_note, name="console_customer_note"),
    path("console/<int:org_id>/segments/", views.segment_list, name="console_segments"),
    path("console/<int:org_id>/segments/new/", views.segment_form, name="console_segment_new"),
    path("console/<int:org_id>/segments/count/", views.segment_count, name="console_segment_count"),
    path("console/<int:org_id>/segments/<int:segment_id>/", views.segment_detail, name="console_segment"),
    path("console/<int:org_id>/segments/<int:segment_id>/edit/", views.segment_form, name="console_segment_edit"),
    path("console/<int:org_id>/segments/<int:segment_id>/coupon/", views.segment_coupon, name="console_segment_coupon"),
    path(
        "console/<int:org_id>/segments/<int:segment_id>/message/", views.segment_message, name="console_segment_message"
    ),
]
