"""The seller's Analytics page, the operator's platform page, the API and the CSV: what they show, bad input as a
4xx, and a fixed number of queries whatever the number of orders."""

import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse

from tests import factories
from tradeloop.analytics import rollups

API = "/api/v1/seller/analytics"


@pytest.fixture
def rolled(scenario, clock):
    rollups.sweep_rollups(clock.now())
    return scenario


def page(merchant, **query):
    return reverse("analytics:console_dashboard", args=[merchant.pk]), query


def test_the_page_shows_the_figures_charts_and_table(rolled, client):
    merchant = rolled["merchant"]
    client.force_login(merchant.owner)
    url = reverse("analytics:console_dashboard", args=[merchant.pk])
    response = client.get(url, {"from": "2026-11-10", "to": "2026-11-11"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "¥87.50" in html  # GMV
    assert "¥29.17" in html  # average order value 87.50 / 3
    assert "75.0%" in html and "33.3%" in html  # conversion, repeat customers
    assert html.count('data-chart="line"') == 2 and 'data-chart="bar"' in html and 'data-chart="funnel"' in html
    assert '<title id="chart-gmv-title">GMV per day</title>' in html
    assert "Longjing" in html  # top products
    assert 'data-table="series"' in html  # the numbers behind the charts
    nav = reverse("analytics:console_dashboard", args=[merchant.pk])
    assert f'href="{nav}" class="active" aria-current="page"' in html


def test_the_page_in_chinese(rolled, client):
    merchant = rolled["merchant"]
    client.force_login(merchant.owner)
    url = reverse("analytics:console_dashboard", args=[merchant.pk])
    html = client.get(url, {"from": "2026-11-10", "to": "2026-11-11"}, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "数据分析" in html and "¥87.50" in html


@pytest.mark.parametrize("query", [{"from": "2026-11-10", "to": "2026-11-01"}, {"from": "nope"}, {"days": "12"}])
def test_a_bad_period_is_a_form_error(rolled, client, query):
    merchant = rolled["merchant"]
    client.force_login(merchant.owner)
    response = client.get(reverse("analytics:console_dashboard", args=[merchant.pk]), query)
    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()


def test_others_get_404_and_roles_without_orders_view_403(rolled, client):
    merchant = rolled["merchant"]
    url = reverse("analytics:console_dashboard", args=[merchant.pk])
    client.force_login(factories.UserFactory())
    assert client.get(url).status_code == 404
    client.force_login(factories.member(merchant, "catalog"))
    assert client.get(url).status_code == 403


def test_the_csv_of_the_series(rolled, client):
    merchant = rolled["merchant"]
    client.force_login(merchant.owner)
    url = reverse("analytics:console_csv", args=[merchant.pk])
    response = client.get(url, {"from": "2026-11-10", "to": "2026-11-11"})
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [(r["day"], r["orders"], r["gmv"], r["refunded"]) for r in rows] == [
        ("2026-11-10", "2", "65.00", "0.00"),
        ("2026-11-11", "1", "22.50", "10.00"),
    ]
    assert client.get(url, {"from": "2026-11-10", "to": "2026-11-01"}).status_code == 400


def test_the_api(rolled, client):
    merchant = rolled["merchant"]
    client.force_login(merchant.owner)
    body = client.get(API, {"org": merchant.pk, "from": "2026-11-11", "to": "2026-11-11", "compare": 1}).json()
    assert body["scope"] == "seller" and body["currency"] == "CNY"
    assert body["period"] == {"start": "2026-11-11", "end": "2026-11-11", "days": 1}
    assert body["previous_period"]["start"] == "2026-11-10"
    assert body["totals"]["orders"] == 1 and body["totals"]["gmv"] == "22.50"
    assert body["totals"]["refunded"] == "10.00" and body["totals"]["repeat_rate"] == "100.0"
    assert body["previous_totals"]["gmv"] == "65.00"
    assert body["change"]["orders"] == "-50.0"
    assert [d["day"] for d in body["series"]] == ["2026-11-11"]
    assert body["modes"] == [{"currency": "CNY", "mode": "b2c", "orders": 1, "gmv": "22.50"}]
    assert body["top_products"][0]["title"] == "Longjing"


def test_the_api_as_csv(rolled, client):
    merchant = rolled["merchant"]
    client.force_login(merchant.owner)
    for url, extra in ((API, {"format": "csv"}), (API + ".csv", {})):
        response = client.get(url, {"org": merchant.pk, "from": "2026-11-10", "to": "2026-11-11", **extra})
        assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
        assert response.content.decode().splitlines()[1].startswith("2026-11-10,2,65.00")


@pytest.mark.parametrize(
    "query, status, code",
    [
        ({"from": "2026-11-10", "to": "2026-11-01"}, 400, "bad_period"),
        ({"from": "2025-01-01", "to": "2026-11-01"}, 400, "bad_period"),
        ({"from": "2026-13-01"}, 422, "invalid"),
        ({"days": 14}, 400, "bad_period"),
        ({"days": "x"}, 422, "invalid"),
        ({"days": 7, "from": "2026-11-01"}, 400, "bad_period"),
    ],
)
def test_bad_input_in_the_api(rolled, client, query, status, code):
    merchant = rolled["merchant"]
    client.force_login(merchant.owner)
    response = client.get(API, {"org": merchant.pk, **query})
    assert response.status_code == status and response.json()["code"] == code


def test_the_api_scopes(rolled, client):
    merchant = rolled["merchant"]
    client.force_login(factories.UserFactory())
    assert client.get(API, {"org": merchant.pk}).status_code == 404
    assert client.get(API, {"scope": "platform"}).status_code == 403
    assert client.get(API).status_code == 400  # no org
    client.logout()
    assert client.get(API, {"org": merchant.pk}).status_code == 401
    staff = factories.UserFactory(is_staff=True)
    client.force_login(staff)
    body = client.get(API, {"scope": "platform", "from": "2026-11-10", "to": "2026-11-11"}).json()
    assert body["scope"] == "platform" and body["totals"]["orders"] == 3


def test_the_platform_page_is_for_staff(rolled, client):
    url = reverse("analytics:platform_dashboard")
    client.force_login(rolled["merchant"].owner)
    assert client.get(url).status_code == 302  # to the admin login
    client.force_login(factories.UserFactory(is_staff=True))
    html = client.get(url, {"from": "2026-11-10", "to": "2026-11-11"}).content.decode()
    assert "Platform analytics" in html and "¥87.50" in html
    csv_body = client.get(reverse("analytics:platform_csv"), {"from": "2026-11-10", "to": "2026-11-11"})
    assert csv_body.content.decode().splitlines()[2].startswith("2026-11-11,1,22.50")


def _more_orders(merchant, product, n, clock):
    from tests.analytics.conftest import at

    for day in range(n):  # one more order a day, the beat rolling up each night
        clock.travel(at(12 + day, 11))
        factories.paid_order(seller=merchant, items=[(product.variants.get(), 1)])
        clock.travel(at(13 + day, 1))
        rollups.sweep_rollups(clock.now())


def test_the_page_and_api_stay_flat_as_orders_grow(rolled, client, clock, django_assert_max_num_queries):
    merchant = rolled["merchant"]
    client.force_login(merchant.owner)
    url = reverse("analytics:console_dashboard", args=[merchant.pk])
    with django_assert_max_num_queries(24) as few:
        client.get(url, {"days": 30})
    with django_assert_max_num_queries(20) as few_api:
        client.get(API, {"org": merchant.pk, "days": 30})
    _more_orders(merchant, rolled["puer"], 8, clock)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url, {"days": 30}).status_code == 200
    with django_assert_max_num_queries(len(few_api.captured_queries)):
        body = client.get(API, {"org": merchant.pk, "days": 30}).json()
    assert body["totals"]["orders"] == 11 and Decimal(body["totals"]["gmv"]) == Decimal("87.50") + 8 * 30
