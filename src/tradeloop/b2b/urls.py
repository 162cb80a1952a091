from django.urls import path

from tradeloop.b2b import rfq_views

app_name = "b2b"
urlpatterns = [
    # RFQs and quotes: the buyer
    path("rfqs/", rfq_views.rfq_list, name="rfq_list"),
    path("rfqs/new/", rfq_views.rfq_new, name="rfq_new"),
    path("rfqs/<int:rfq_id>/", rfq_views.rfq_detail, name="rfq_detail"),
    path("rfqs/<int:rfq_id>/cancel/", rfq_views.rfq_cancel, name="rfq_cancel"),
    path("rfqs/<int:rfq_id>/files/<int:attachment_id>/", rfq_views.rfq_attachment, name="rfq_attachment"),
    path("quotes/<int:quote_id>/", rfq_views.quote_detail, name="quote"),
    path("quotes/<int:quote_id>/counter/", rfq_views.quote_counter, name="quote_counter"),
    path("quotes/<int:quote_id>/accept/", rfq_views.quote_accept, name="quote_accept"),
    path("quotes/<int:quote_id>/decline/", rfq_views.quote_decline, name="quote_decline"),
    # RFQs and quotes: the supplier's console (section Quotes)
    path("console/<int:org_id>/quotes/", rfq_views.console_rfqs, name="console_rfqs"),
    path("console/<int:org_id>/quotes/funnel/", rfq_views.console_funnel, name="console_funnel"),
    path("console/<int:org_id>/quotes/rfqs/<int:rfq_id>/", rfq_views.console_rfq, name="console_rfq"),
    path("console/<int:org_id>/quotes/<int:quote_id>/", rfq_views.console_quote, name="console_quote"),
    path(
        "console/<int:org_id>/quotes/<int:quote_id>/<str:action>/",
        rfq_views.console_quote_decide,
        name="console_quote_decide",
    ),
]
