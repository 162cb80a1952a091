from django.urls import path

from tradeloop.accounts import views

app_name = "accounts"
urlpatterns = [
    path("", views.profile, name="profile"),
    path("signup/", views.signup, name="signup"),
    path("login/", views.SignInView.as_view(), name="login"),
    path("logout/", views.SignOutView.as_view(), name="logout"),
    path("organizations/new/", views.start_selling, name="start_selling"),
    path("organizations/personal/", views.sell_personally, name="sell_personally"),
    path("tokens/", views.tokens, name="tokens"),
    path("tokens/<int:token_id>/revoke/", views.revoke_token, name="revoke_token"),
    path("invitations/<str:token>/", views.invitation, name="invitation"),
]
