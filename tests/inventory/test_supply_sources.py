"""Supply sources: which supplier variant restocks a merchant's own variant (by the pack); the stock page's
low-stock rows offer Reorder (quick order of the supplier SKU) and Request a quote."""

import pytest

from tests.api.conftest import assert_error
from tests.factories import published_product, seller_with_owner
from tradeloop.core.errors import Conflict, NotFound, ValidationFailed
from tradeloop.inventory import supply
from tradeloop.inventory.models import Stock, SupplySource


@pytest.fixture
def pair(db):
    supplier = seller_with_owner(kind="supplier", name="Acme Components")
    merchant = seller_with_owner(name="Gadget Shop")
    boxes = published_product(supplier, title="AD converter, box of 10", price="95.00", stock=100).variants.get()
    own = published_product(merchant, title="AD converter", price="12.00", stock=3).variants.get()
    return {"supplier": supplier, "merchant": merchant, "boxes": boxes, "own": own}


def link(pair, pack=10):
    return supply.save_source(
        actor=pair["merchant"].owner,
        merchant=pair["merchant"],
        variant_id=pair["own"].pk,
        supplier_variant_id=pair["boxes"].pk,
        units_per_pack=pack,
    )


def test_a_source_links_own_variant_to_a_supplier_variant(pair):
    source = link(pair)
    assert (source.variant, source.supplier_variant, source.units_per_pack) == (pair["own"], pair["boxes"], 10)
    with pytest.raises(Conflict) as twice:
        link(pair)
    assert twice.value.code == "duplicate_source"


def test_only_own_variants_and_others_goods_for_sale(pair):
    merchant = pair["merchant"]
    with pytest.raises(NotFound):  # not the merchant's own variant
        supply.save_source(
            actor=merchant.owner, merchant=merchant, variant_id=pair["boxes"].pk, supplier_variant_id=pair["own"].pk
        )
    other_own = published_product(merchant, title="Cable").variants.get()
    with pytest.raises(NotFound):  # buying from itself
        supply.save_source(
            actor=merchant.owner, merchant=merchant, variant_id=pair["own"].pk, supplier_variant_id=other_own.pk
        )
    with pytest.raises(ValidationFailed):
        link(pair, pack=0)
    stranger = seller_with_owner(name="Other")
    with pytest.raises(NotFound):
        supply.delete_source(actor=stranger.owner, source_id=link(pair).pk)


def test_suggested_packs_refill_to_twice_the_alert_level():
    assert supply.suggested_packs(available=3, threshold=5, units_per_pack=10) == 1
    assert supply.suggested_packs(available=0, threshold=50, units_per_pack=10) == 10
    assert supply.suggested_packs(available=-2, threshold=0, units_per_pack=1) == 2


def test_api_crud(pair, api_as, django_assert_max_num_queries):
    merchant = pair["merchant"]
    api = api_as(merchant.owner)
    body = {
        "organization": merchant.pk,
        "variant_id": pair["own"].pk,
        "supplier_variant_id": pair["boxes"].pk,
        "units_per_pack": 10,
    }
    made = api.post("seller/supply-sources", body)
    assert made.status_code == 201, made.content
    assert (made.json()["supplier"], made.json()["units_per_pack"]) == ("Acme Components", 10)
    source_id = made.json()["id"]
    assert_error(api.post("seller/supply-sources", body), 409, "duplicate_source")
    with django_assert_max_num_queries(8):
        listed = api.get("seller/supply-sources", {"organization": merchant.pk})
    assert [s["id"] for s in listed.json()] == [source_id]
    changed = api.client.put(
        api.url(f"seller/supply-sources/{source_id}"),
        __import__("json").dumps(body | {"units_per_pack": 12}),
        content_type="application/json",
        headers=api._headers(),
    )
    assert changed.status_code == 200 and changed.json()["units_per_pack"] == 12
    other = seller_with_owner(name="Other")
    assert_error(api_as(other.owner).get(f"seller/supply-sources/{source_id}"), 404)
    assert_error(api_as(other.owner).delete(f"seller/supply-sources/{source_id}"), 404)
    assert api.delete(f"seller/supply-sources/{source_id}").status_code == 204
    assert not SupplySource.objects.exists()


def test_the_stock_page_offers_reorder_and_a_quote_for_low_rows(pair, client):
    link(pair)
    Stock.objects.filter(variant=pair["own"]).update(low_stock_threshold=5)
    merchant = pair["merchant"]
    client.force_login(merchant.owner)
    html = client.get(f"/console/{merchant.pk}/stock/").content.decode()
    sku = pair["boxes"].sku
    assert f"/quick-order/?lines={sku}%2C1&amp;seller={pair['supplier'].pk}" in html
    assert f"/rfqs/new/?variant={pair['boxes'].pk}&amp;quantity=1" in html  # b2b serves the RFQ page
    page = client.get(f"/quick-order/?lines={sku}%2C1&seller={pair['supplier'].pk}")
    assert "AD converter, box of 10" in page.content.decode()


def test_no_reorder_without_a_source_or_when_stock_is_fine(pair, client):
    merchant = pair["merchant"]
    client.force_login(merchant.owner)
    assert "data-reorder" not in client.get(f"/console/{merchant.pk}/stock/").content.decode()
    link(pair)
    Stock.objects.filter(variant=pair["own"]).update(on_hand=100, low_stock_threshold=5)
    assert "data-reorder" not in client.get(f"/console/{merchant.pk}/stock/").content.decode()
