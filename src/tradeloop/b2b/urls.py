from django.urls import path

from tradeloop.b2b import company_views, rfq_views, showcase_views

app_name = "b2b"
urlpatterns = [
    # companies: register, the company page, approvals
    path("company/", company_views.company_home, name="company_home"),
    path("company/register/", company_views.company_register, name="company_register"),
    path("companies/<int:org_id>/", company_views.company_detail, name="company"),
    path(
        "companies/<int:org_id>/members/<int:membership_id>/limit/",
        company_views.spending_limit,
        name="company_spending_limit",
    ),
    path("companies/<int:org_id>/addresses/", company_views.address_add, name="company_address_add"),
    path(
        "companies/<int:org_id>/addresses/<int:address_id>/<str:action>/",
        company_views.address_change,
        name="company_address_change",
    ),
    path("companies/<int:org_id>/approvals/", company_views.approval_list, name="approvals"),
    path("companies/<int:org_id>/approvals/<int:approval_id>/", company_views.approval_detail, name="approval"),
    path(
        "companies/<int:org_id>/approvals/<int:approval_id>/<str:action>/",
        company_views.approval_decide,
        name="approval_decide",
    ),
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
    # the supplier showcase: the console section Showcase
    path("console/<int:org_id>/showcase/", showcase_views.console_showcase, name="console_showcase"),
]
