"""Account web pages: sign up, sign in/out, profile and organizations, API tokens, invitations, language."""

import pytest
from django.urls import reverse

from tests import factories
from tradeloop.accounts import services
from tradeloop.accounts.models import ApiToken, Membership, Organization, User
from tradeloop.storefront.templatetags.ui import console_home_url

pytestmark = pytest.mark.django_db


def landing_after_selling() -> str:
    return console_home_url() or reverse("accounts:profile")


# --- sign up / in / out ----------------------------------------------------


def test_sign_up_creates_the_account_and_signs_in(client):
    response = client.post(
        reverse("accounts:signup"),
        {"email": "Mei@Example.com", "name": "Mei", "password": factories.PASSWORD, "password2": factories.PASSWORD},
    )
    assert response.status_code == 302
    user = User.objects.get(email="mei@example.com")
    assert user.name == "Mei"
    assert client.get(reverse("accounts:profile")).context["user"] == user


def test_sign_up_respects_next(client):
    response = client.post(
        reverse("accounts:signup") + "?next=/products/",
        {
            "email": "n@example.com",
            "password": factories.PASSWORD,
            "password2": factories.PASSWORD,
            "next": "/products/",
        },
    )
    assert response["Location"] == "/products/"


def test_sign_up_with_a_taken_email_shows_the_error_on_the_email_field(client, user):
    response = client.post(
        reverse("accounts:signup"),
        {"email": user.email.upper(), "password": factories.PASSWORD, "password2": factories.PASSWORD},
    )
    assert response.status_code == 400
    assert "already exists" in " ".join(response.context["form"].errors["email"])
    assert User.objects.filter(email=user.email).count() == 1


def test_sign_up_rejects_weak_and_mismatched_passwords(client):
    weak = client.post(reverse("accounts:signup"), {"email": "w@example.com", "password": "123", "password2": "123"})
    assert weak.status_code == 400 and weak.context["form"].errors["password"]
    mismatch = client.post(
        reverse("accounts:signup"), {"email": "m@example.com", "password": factories.PASSWORD, "password2": "other"}
    )
    assert mismatch.status_code == 400 and mismatch.context["form"].errors["password2"]
    assert not User.objects.filter(email__in=["w@example.com", "m@example.com"]).exists()
    html = mismatch.content.decode()
    assert 'aria-describedby="id_password2_error"' in html


def test_sign_in_with_email_and_follow_next(client, user):
    page = client.get(reverse("accounts:login"))
    assert "E-mail" in page.content.decode()
    response = client.post(
        reverse("accounts:login") + "?next=/accounts/tokens/",
        {"username": user.email.upper(), "password": factories.PASSWORD, "next": "/accounts/tokens/"},
    )
    assert response.status_code == 302 and response["Location"] == "/accounts/tokens/"
    assert client.get(reverse("accounts:profile")).status_code == 200


def test_sign_in_with_a_wrong_password_fails_politely(client, user):
    response = client.post(reverse("accounts:login"), {"username": user.email, "password": "wrong"})
    assert response.status_code == 400
    assert response.context["form"].non_field_errors()


def test_sign_in_does_not_redirect_off_site(client, user):
    response = client.post(
        reverse("accounts:login"),
        {"username": user.email, "password": factories.PASSWORD, "next": "https://evil.test/"},
    )
    assert response["Location"] == reverse("storefront:home")


def test_sign_out_is_post_only(client, user):
    client.force_login(user)
    assert client.get(reverse("accounts:logout")).status_code == 405
    assert client.post(reverse("accounts:logout")).status_code == 302
    assert client.get(reverse("accounts:profile")).status_code == 302  # back to the sign-in page


# --- profile & organizations ----------------------------------------------


def test_profile_needs_sign_in(client):
    response = client.get(reverse("accounts:profile"))
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


def test_profile_lists_organizations_with_roles(client, merchant):
    staff = factories.member(merchant, "fulfilment")
    client.force_login(staff)
    html = client.get(reverse("accounts:profile")).content.decode()
    assert merchant.name in html and "Fulfilment" in html


def test_profile_saves_name_and_language(client, user):
    client.force_login(user)
    response = client.post(reverse("accounts:profile"), {"name": "New Name", "language": "zh-hans"})
    assert response.status_code == 302
    user.refresh_from_db()
    assert (user.name, user.language) == ("New Name", "zh-hans")
    assert 'lang="zh-hans"' in client.get(reverse("accounts:profile")).content.decode()


def test_profile_rejects_an_unknown_language(client, user):
    client.force_login(user)
    response = client.post(reverse("accounts:profile"), {"name": "X", "language": "klingon"})
    assert response.status_code == 400
    user.refresh_from_db()
    assert user.language == "en"


def test_start_selling_creates_an_organization_owned_by_me(client, user):
    client.force_login(user)
    response = client.post(
        reverse("accounts:start_selling"), {"kind": "supplier", "name": "Yiwu Goods", "city": "Yiwu"}
    )
    org = Organization.objects.get(name="Yiwu Goods")
    assert response.status_code == 302 and response["Location"] == reverse("trust:console", args=[org.pk])
    assert (org.kind, org.city) == ("supplier", "Yiwu")
    assert Membership.objects.get(user=user, organization=org).role.code == "owner"


def test_start_selling_rejects_bad_kinds_and_blank_names(client, user):
    client.force_login(user)
    assert client.post(reverse("accounts:start_selling"), {"kind": "operator", "name": "X"}).status_code == 400
    blank = client.post(reverse("accounts:start_selling"), {"kind": "merchant", "name": "   "})
    assert blank.status_code == 400 and blank.context["org_form"].errors["name"]
    assert not Organization.objects.exists()


def test_sell_as_a_private_person_is_idempotent(client, user):
    client.force_login(user)
    for _ in range(2):
        response = client.post(reverse("accounts:sell_personally"))
        org = Organization.objects.get(kind="personal", memberships__user=user)
        assert response.status_code == 302 and response["Location"] == reverse("trust:console", args=[org.pk])


def test_profile_query_budget(client, user, django_assert_max_num_queries):
    for i in range(10):
        factories.seller_with_owner(owner=user, name=f"Org {i}")
    client.force_login(user)
    with django_assert_max_num_queries(6):
        assert client.get(reverse("accounts:profile")).status_code == 200


# --- API tokens -------------------------------------------------------------


def test_create_token_shows_the_secret_once(client, user):
    client.force_login(user)
    response = client.post(reverse("accounts:tokens"), {"name": "ERP sync"}, follow=True)
    html = response.content.decode()
    token = ApiToken.objects.get(user=user)
    secret = response.context["new_token"]["secret"]
    assert secret in html and secret.startswith(token.prefix)
    assert services.user_for_token(secret) == user
    again = client.get(reverse("accounts:tokens")).content.decode()
    assert secret not in again and "ERP sync" in again and token.prefix in again


def test_create_token_needs_a_name(client, user):
    client.force_login(user)
    assert client.post(reverse("accounts:tokens"), {"name": ""}).status_code == 400
    assert not ApiToken.objects.exists()


def test_revoke_token(client, user):
    token, secret = services.issue_token(user=user, name="Old")
    client.force_login(user)
    response = client.post(reverse("accounts:revoke_token", args=[token.pk]))
    assert response.status_code == 302
    assert services.user_for_token(secret) is None
    assert "Revoked" in client.get(reverse("accounts:tokens")).content.decode()


def test_cannot_revoke_someone_elses_token(client, user):
    other_token, secret = services.issue_token(user=factories.UserFactory())
    client.force_login(user)
    assert client.post(reverse("accounts:revoke_token", args=[other_token.pk])).status_code == 404
    assert services.user_for_token(secret) is not None


def test_tokens_query_budget(client, user, django_assert_max_num_queries):
    for i in range(15):
        services.issue_token(user=user, name=f"t{i}")
    client.force_login(user)
    with django_assert_max_num_queries(5):
        assert client.get(reverse("accounts:tokens")).status_code == 200


# --- invitations -------------------------------------------------------------


@pytest.fixture
def invitation(merchant):
    invitation, token = services.invite(
        actor=merchant.owner, organization=merchant, email="packer@example.com", role="fulfilment"
    )
    return invitation, token


def test_invitation_page_for_a_signed_out_visitor_links_to_sign_in_and_up(client, invitation, merchant):
    _, token = invitation
    url = reverse("accounts:invitation", args=[token])
    html = client.get(url).content.decode()
    assert merchant.name in html and "Fulfilment" in html
    assert f"{reverse('accounts:login')}?next={url}" in html
    assert f"{reverse('accounts:signup')}?next={url}" in html


def test_invited_person_accepts_and_lands_in_the_console(client, invitation, merchant):
    _, token = invitation
    invitee = factories.UserFactory(email="packer@example.com")
    client.force_login(invitee)
    response = client.post(reverse("accounts:invitation", args=[token]))
    assert response.status_code == 302 and response["Location"] == landing_after_selling()
    assert Membership.objects.get(user=invitee, organization=merchant).role.code == "fulfilment"


def test_someone_else_cannot_accept_the_invitation(client, invitation, merchant, user):
    _, token = invitation
    client.force_login(user)
    response = client.post(reverse("accounts:invitation", args=[token]))
    assert response.status_code == 403
    assert "another e-mail address" in response.content.decode()
    assert not Membership.objects.filter(user=user, organization=merchant).exists()


def test_unknown_invitation_is_404(client, db):
    assert client.get(reverse("accounts:invitation", args=["nope"])).status_code == 404


def test_accepted_invitation_cannot_be_used_again(client, invitation):
    _, token = invitation
    client.force_login(factories.UserFactory(email="packer@example.com"))
    client.post(reverse("accounts:invitation", args=[token]))
    again = client.post(reverse("accounts:invitation", args=[token]))
    assert again.status_code == 409
    assert "no longer open" in again.content.decode()


def test_signed_out_accept_goes_to_sign_in(client, invitation):
    _, token = invitation
    response = client.post(reverse("accounts:invitation", args=[token]))
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


# --- language --------------------------------------------------------------


def test_language_switch_turns_the_site_chinese(client):
    assert 'lang="en"' in client.get("/").content.decode()
    response = client.post(reverse("set_language"), {"language": "zh-hans", "next": "/products/"})
    assert response.status_code == 302 and response["Location"] == "/products/"
    html = client.get("/products/").content.decode()
    assert 'lang="zh-hans"' in html
    assert 'value="zh-hans" lang="zh-Hans" aria-current="true"' in html
