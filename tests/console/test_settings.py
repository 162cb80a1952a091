from decimal import Decimal

import pytest

from tests.console.conftest import login_as, url


def settings_form(**changes) -> dict:
    data = {
        "name": "West Lake Tea Co.",
        "description": "Tea from the hills around West Lake.",
        "email": "shop@westlake.cn",
        "phone": "+86 571 0000 0000",
        "address": "1 Longjing Road",
        "city": "Hangzhou",
        "latitude": "30.230000",
        "longitude": "120.120000",
        "currency": "CNY",
    }
    return data | changes


@pytest.mark.django_db
def test_owner_updates_the_store_profile(owner_client, merchant):
    response = owner_client.post(url("settings", merchant), settings_form())
    assert response.status_code == 302
    merchant.refresh_from_db()
    assert merchant.name == "West Lake Tea Co." and merchant.city == "Hangzhou"
    assert merchant.latitude == Decimal("30.230000") and merchant.email == "shop@westlake.cn"
    page = owner_client.get(url("settings", merchant))
    assert 'value="West Lake Tea Co."' in page.text


@pytest.mark.parametrize(
    ("field", "value"),
    [("latitude", "91"), ("longitude", "-200"), ("email", "nope"), ("name", ""), ("currency", "XYZ")],
)
@pytest.mark.django_db
def test_bad_settings_show_errors_and_change_nothing(owner_client, merchant, field, value):
    before = merchant.name
    response = owner_client.post(url("settings", merchant), settings_form(**{field: value}))
    assert response.status_code == 400
    assert response.context["form"].errors[field]
    merchant.refresh_from_db()
    assert merchant.name == before and merchant.city == ""


@pytest.mark.django_db
def test_only_roles_that_manage_the_store_may_change_it(client, merchant, staff):
    login_as(client, staff("catalog"))
    assert client.post(url("settings", merchant), settings_form()).status_code == 403
    merchant.refresh_from_db()
    assert merchant.city == ""
