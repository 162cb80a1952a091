"""A program registers a buyer account with the web sign-up form's rules."""

import pytest

from tests import factories
from tests.api.conftest import Api, assert_error
from tradeloop.accounts.models import User


@pytest.mark.django_db
def test_sign_up_then_use_the_token(api):
    response = api.post(
        "auth/signup",
        {"email": " Mei@Example.com ", "password": "plum-blossom-42", "name": "Mei", "token_name": "my app"},
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["user"] == {"id": body["user"]["id"], "email": "mei@example.com", "name": "Mei", "language": "en"}
    assert body["token"]["name"] == "my app"
    me = Api(api.client, body["token"]["token"]).get("me").json()
    assert (me["email"], me["memberships"]) == ("mei@example.com", [])
    assert User.objects.get(email="mei@example.com").check_password("plum-blossom-42")


@pytest.mark.django_db
def test_sign_up_without_a_token_then_obtain_one(api):
    body = api.post("auth/signup", {"email": "lei@example.com", "password": "plum-blossom-42", "language": "zh-hans"})
    assert body.status_code == 201
    assert body.json()["token"] is None and body.json()["user"]["language"] == "zh-hans"
    token = api.post("auth/token", {"email": "lei@example.com", "password": "plum-blossom-42"})
    assert token.status_code == 201


@pytest.mark.django_db
@pytest.mark.parametrize("password", ["short", "password123", "12345678", "lei@example.com"])
def test_the_web_forms_password_rules(api, password):
    assert_error(
        api.post("auth/signup", {"email": "lei@example.com", "password": password}), 400, "invalid", "password"
    )
    assert not User.objects.filter(email="lei@example.com").exists()


@pytest.mark.django_db
def test_an_email_that_is_taken_or_not_an_email(api):
    factories.UserFactory(email="taken@example.com")
    body = {"email": "TAKEN@example.com", "password": "plum-blossom-42"}
    assert_error(api.post("auth/signup", body), 409, "conflict", "email")
    assert_error(api.post("auth/signup", {**body, "email": "not-an-email"}), 400, "invalid", "email")
    assert_error(api.post("auth/signup", {**body, "language": "fr"}), 422, "invalid", "language")
