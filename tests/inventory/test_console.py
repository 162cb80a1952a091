from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import member, published_product, seller_with_owner
from tradeloop.inventory import services as inventory
from tradeloop.inventory.models import Stock, StockMovement


def test_stock_page_lists_levels_flags_low_ones_and_keeps_a_flat_query_count(client, merchant):
    published_product(merchant, title="Plenty", stock=50)
    published_product(merchant, title="Nearly gone", stock=2)
    client.force_login(merchant.owner)
    url = reverse("inventory:console_stock", args=[merchant.pk])
    client.get(url)
    page = client.get(url)
    html = page.content.decode()
    assert "Nearly gone" in html and "Plenty" in html
    assert "1 stock level is at or below its alert level." in html
    low = client.get(url, {"low": "1"}).content.decode()
    assert "Nearly gone" in low and "Plenty" not in low
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for i in range(30):
        published_product(merchant, title=f"More {i}", stock=i)
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)


def test_adjusting_with_a_reason_is_recorded_and_shown(client, merchant):
    variant = published_product(merchant, stock=10).variants.get()
    stock = Stock.objects.get(variant=variant)
    client.force_login(merchant.owner)
    url = reverse("inventory:console_stock_row", args=[merchant.pk, stock.pk])
    response = client.post(url, {"action": "adjust", "delta": "-4", "reason": "damaged", "note": "crushed box"})
    assert response.status_code == 302
    variant.refresh_from_db()
    assert variant.stock == 6
    page = client.get(url).content.decode()
    assert "crushed box" in page and "Damaged or lost" in page
    refused = client.post(url, {"action": "adjust", "delta": "-40", "reason": "damaged"})
    assert refused.status_code == 400 and "not there or are reserved" in refused.content.decode()
    client.post(url, {"action": "threshold", "low_stock_threshold": "8"})
    stock.refresh_from_db()
    assert stock.low_stock_threshold == 8


def test_goods_received_into_a_second_warehouse(client, merchant):
    variant = published_product(merchant, stock=1).variants.get()
    client.force_login(merchant.owner)
    client.post(
        reverse("inventory:console_warehouses", args=[merchant.pk]),
        {"name": "Ningbo", "priority": "20", "is_active": "on"},
    )
    ningbo = merchant.warehouses.get(name="Ningbo")
    response = client.post(
        reverse("inventory:console_receive", args=[merchant.pk]),
        {"sku": variant.sku, "warehouse": ningbo.pk, "quantity": "25", "note": "PO-7"},
    )
    assert response.status_code == 302
    variant.refresh_from_db()
    assert variant.stock == 26
    assert StockMovement.objects.get(stock__warehouse=ningbo).reason == "received"
    client.post(
        reverse("inventory:console_warehouse", args=[merchant.pk, ningbo.pk]),
        {"name": "Ningbo", "priority": "20"},  # is_active unticked: its units leave what is for sale
    )
    variant.refresh_from_db()
    assert variant.stock == 1


def test_only_catalog_staff_of_this_seller_see_stock(client, merchant):
    stock = Stock.objects.get(variant=published_product(merchant).variants.get())
    client.force_login(member(merchant, "support"))
    assert client.get(reverse("inventory:console_stock", args=[merchant.pk])).status_code == 403
    client.force_login(seller_with_owner().owner)
    assert client.get(reverse("inventory:console_stock_row", args=[merchant.pk, stock.pk])).status_code == 404


def test_the_dashboard_shows_stock_alerts(client, merchant):
    published_product(merchant, stock=1)
    client.force_login(merchant.owner)
    page = client.get(reverse("console:dashboard", args=[merchant.pk])).content.decode()
    assert 'data-tile="stock-alerts"' in page and "?low=1" in page
    assert inventory.default_warehouse(merchant).name == "Main warehouse"
