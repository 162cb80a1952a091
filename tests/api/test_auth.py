import pytest
from django.test import Client

from tests.api.conftest import Api, assert_error
from tests.factories import PASSWORD, UserFactory
from tradeloop.accounts.models import ApiToken
from tradeloop.accounts.services import revoke_token


@pytest.mark.django_db
def test_good_credentials_give_a_token_that_signs_requests_in(api, user):
    response = api.post("auth/token", {"email": user.email.upper(), "password": PASSWORD, "name": "shop sync"})

    assert response.status_code == 201
    body = response.json()
    assert body["token"].startswith(body["prefix"])
    assert body["name"] == "shop sync"
    me = Api(Client(), body["token"]).get("me")
    assert me.status_code == 200
    assert me.json()["email"] == user.email


@pytest.mark.django_db
def test_wrong_password_is_refused_with_the_error_body(api, user):
    response = api.post("auth/token", {"email": user.email, "password": "not it"})

    assert_error(response, 401, "not_authenticated")
    assert not ApiToken.objects.exists()


@pytest.mark.django_db
def test_unknown_email_is_refused(api):
    assert_error(api.post("auth/token", {"email": "nobody@example.com", "password": PASSWORD}), 401)


@pytest.mark.django_db
def test_missing_or_bogus_token_is_refused(api):
    assert_error(api.get("me"), 401, "not_authenticated")
    assert_error(Api(Client(), "tl_not-a-real-token").get("me"), 401, "not_authenticated")


@pytest.mark.django_db
def test_revoked_token_stops_working(api, user):
    secret = api.post("auth/token", {"email": user.email, "password": PASSWORD}).json()["token"]
    signed_in = Api(Client(), secret)
    assert signed_in.get("me").status_code == 200

    revoke_token(actor=user, token_id=ApiToken.objects.get(user=user).pk)

    assert_error(signed_in.get("me"), 401, "not_authenticated")


@pytest.mark.django_db
def test_expired_token_stops_working(api, user, clock):
    secret = api.post("auth/token", {"email": user.email, "password": PASSWORD}).json()["token"]
    ApiToken.objects.filter(user=user).update(expires_at=clock.now().replace(year=clock.now().year + 1))
    signed_in = Api(Client(), secret)
    assert signed_in.get("me").status_code == 200

    clock.advance(days=366)

    assert_error(signed_in.get("me"), 401)


@pytest.mark.django_db
def test_web_session_signs_in_too(user):
    browser = Client()
    browser.force_login(user)

    response = browser.get("/api/v1/me")

    assert response.status_code == 200
    assert response.json()["id"] == user.pk


@pytest.mark.django_db
def test_session_writes_need_the_csrf_token():
    person = UserFactory()
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(person)
    body = {"kind": "merchant", "name": "Tea House"}

    refused = browser.post("/api/v1/organizations", body, content_type="application/json")
    assert_error(refused, 403, "csrf_failed")
    assert not person.memberships.exists()

    secret = "k" * 32  # what a page sets in the csrftoken cookie; the page's script echoes it in X-CSRFToken
    browser.cookies["csrftoken"] = secret
    accepted = browser.post(
        "/api/v1/organizations", body, content_type="application/json", headers={"X-CSRFToken": secret}
    )
    assert accepted.status_code == 201, accepted.content
    assert person.memberships.count() == 1


@pytest.mark.django_db
def test_programs_without_a_session_get_401_not_a_csrf_error():
    refused = Client(enforce_csrf_checks=True).post(
        "/api/v1/organizations", {"kind": "merchant", "name": "X"}, content_type="application/json"
    )
    assert_error(refused, 401, "not_authenticated")
