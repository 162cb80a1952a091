from django.urls import path

from tradeloop.aftersales import views

app_name = "aftersales"

urlpatterns = [
    # The buyer's side.
    path("returns/", views.my_returns, name="my_returns"),
    path("returns/new/<str:number>/", views.request_return, name="request_return"),
    path("returns/<int:return_id>/withdraw/", views.withdraw, name="withdraw"),
    # The seller console's Returns desk.
    path("console/<int:org_id>/returns/", views.console_returns, name="console_returns"),
    path("console/<int:org_id>/returns/<int:return_id>/approve/", views.console_approve, name="console_approve"),
    path("console/<int:org_id>/returns/<int:return_id>/reject/", views.console_reject, name="console_reject"),
]
