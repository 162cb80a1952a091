"""Quick order: pasted or uploaded "SKU, quantity" lines, each resolved with the buyer's price or its own error,
then every valid line into the cart at once."""

from decimal import Decimal

import pytest

from tests.api.conftest import assert_error
from tests.checkout.conftest import fill_cart, stocked
from tests.factories import seller_with_owner
from tradeloop.catalog.models import Product, Variant
from tradeloop.checkout import cart as carts
from tradeloop.checkout import quick_order
from tradeloop.checkout.models import CartItem
from tradeloop.core.errors import ValidationFailed


def codes(resolution) -> list[str]:
    return [str(line.error) for line in resolution.lines]


def test_comma_tab_and_semicolon_lines_with_a_header_and_blank_lines():
    rows = quick_order.parse_text("SKU, Quantity\n\nAD-24, 50\r\nDA-16\t3\n  \nxy-1 ; 7\n")
    assert [(r.number, r.sku, r.quantity) for r in rows] == [(3, "AD-24", 50), (4, "DA-16", 3), (6, "xy-1", 7)]


def test_unreadable_lines_keep_their_own_error():
    rows = quick_order.parse_text("AD-24\nAD-24, many\nAD-24, 1, 2\nAD-24, 2.5")
    assert [r.error for r in rows] == ["bad_line", "bad_quantity", "bad_line", "bad_quantity"]


def test_limits_refuse_too_many_lines_and_too_much_text():
    with pytest.raises(ValidationFailed) as lines:
        quick_order.parse_text("\n".join(f"S{i},1" for i in range(quick_order.MAX_LINES + 1)))
    assert lines.value.code == "too_many_lines"
    with pytest.raises(ValidationFailed):
        quick_order.parse_text("x" * (quick_order.MAX_TEXT + 1))
    with pytest.raises(ValidationFailed) as big:
        quick_order.decode_upload(b"a,1\n" * (quick_order.MAX_UPLOAD_BYTES // 4 + 1))
    assert big.value.code == "too_large"
    with pytest.raises(ValidationFailed):
        quick_order.decode_upload(b"\x00\x01binary")


def test_an_upload_from_a_chinese_spreadsheet_reads_as_gb18030():
    text = quick_order.decode_upload("货号,数量\nAD-24,5\n".encode("gb18030"))
    assert [(r.sku, r.quantity) for r in quick_order.parse_text(text)] == [("AD-24", 5)]


def test_each_line_resolves_with_its_price_or_its_error(goods, buyer):
    other = seller_with_owner(name="Other")
    draft = stocked(other, title="Draft", price="1.00")
    Product.objects.filter(pk=draft.pk).update(status=Product.Status.DRAFT)
    Variant.objects.filter(product=draft).update(sku="SECRET")
    off = stocked(other, title="Retired", price="1.00").variants.get()
    Variant.objects.filter(pk=off.pk).update(sku="OLD-1", is_active=False)
    text = "ad-24, 50\nNOPE, 1\nSECRET, 1\nOLD-1, 1\nDA-16, 21\nDA-16x, 0\nDA-16, 0"
    resolution = quick_order.resolve_text(actor=buyer, text=text)
    assert codes(resolution) == ["", "unknown_sku", "unknown_sku", "not_for_sale", "out_of_stock", "unknown_sku"]
    first = resolution.lines[0]
    assert first.variant == goods["adc"] and first.unit_price.amount == Decimal("10.00")
    assert first.line_total.amount == Decimal("500.00")
    assert resolution.lines[4].message == "Only 20 left." and resolution.lines[4].numbers == [5, 7]
    assert resolution.total.amount == Decimal("500.00")


def test_the_same_sku_twice_is_one_line_with_the_quantities_added(goods, buyer):
    resolution = quick_order.resolve_text(actor=buyer, text="AD-24,5\nDA-16,1\nad-24,7")
    assert [(line.sku, line.quantity, line.numbers) for line in resolution.lines] == [
        ("AD-24", 12, [1, 3]),
        ("DA-16", 1, [2]),
    ]


def test_a_sku_two_stores_use_needs_the_store(goods, buyer):
    rival = seller_with_owner(name="Rival")
    Variant.objects.filter(product=stocked(rival, title="Clone")).update(sku="AD-24")
    resolution = quick_order.resolve_text(actor=buyer, text="AD-24, 1")
    assert codes(resolution) == ["ambiguous_sku"]
    chosen = quick_order.resolve_text(actor=buyer, text="AD-24, 1", seller_id=goods["supplier"].pk)
    assert chosen.lines[0].variant == goods["adc"]


def test_a_quantity_over_the_cart_limit_is_a_line_error(goods, buyer):
    resolution = quick_order.resolve_text(actor=buyer, text=f"AD-24, {carts.MAX_QUANTITY + 1}")
    assert codes(resolution) == ["bad_quantity"]


def test_pricing_minimum_and_multiple_are_line_errors(goods, buyer, monkeypatch):
    from tradeloop.pricing import selectors as prices

    def check(variant, quantity):
        if quantity < 50:
            raise ValidationFailed("Minimum order is 50, in multiples of 10.", field="quantity", code="below_minimum")
        if quantity % 10:
            raise ValidationFailed("Minimum order is 50, in multiples of 10.", field="quantity", code="not_a_multiple")

    monkeypatch.setattr(prices, "check_order_quantity", check, raising=False)
    resolution = quick_order.resolve_text(actor=buyer, text="AD-24, 20\nDA-16, 15")
    assert codes(resolution) == ["below_minimum", "below_minimum"]
    assert codes(quick_order.resolve_text(actor=buyer, text="AD-24, 55")) == ["not_a_multiple"]
    with pytest.raises(ValidationFailed) as refused:
        carts.add_items(owner=carts.CartOwner(user=buyer), lines=[carts.AddLine(goods["adc"].pk, 20)])
    assert refused.value.code == "below_minimum" and refused.value.field == "items.0"


def test_resolving_200_lines_takes_a_fixed_number_of_queries(goods, buyer, django_assert_max_num_queries):
    supplier = goods["supplier"]
    for i in range(10):
        Variant.objects.filter(product=stocked(supplier, title=f"Part {i}")).update(sku=f"P-{i}")
    text = "\n".join(f"P-{i % 12}, 1" if i % 12 < 10 else f"MISSING-{i}, 1" for i in range(200))
    with django_assert_max_num_queries(8):  # the variants, then pricing's sources and order rules for all lines
        resolution = quick_order.resolve_text(actor=buyer, text=text)
    assert len(resolution.lines) > 10


def test_all_valid_lines_go_into_the_cart_at_once(goods, buyer, django_assert_max_num_queries):
    fill_cart(buyer, [(goods["dac"], 2)])
    owner = carts.CartOwner(user=buyer)
    with django_assert_max_num_queries(12):  # savepoints included; the same for any number of lines
        carts.add_items(owner=owner, lines=[carts.AddLine(goods["adc"].pk, 50), carts.AddLine(goods["dac"].pk, 3)])
    assert dict(CartItem.objects.values_list("variant__sku", "quantity")) == {"AD-24": 50, "DA-16": 5}


def test_one_bad_line_adds_nothing(goods, buyer):
    owner = carts.CartOwner(user=buyer)
    with pytest.raises(Exception) as refused:
        carts.add_items(owner=owner, lines=[carts.AddLine(goods["adc"].pk, 5), carts.AddLine(goods["dac"].pk, 21)])
    assert refused.value.code == "out_of_stock" and refused.value.field == "items.1"
    assert not CartItem.objects.exists()


# ---------- API ----------


def test_api_resolves_and_adds_in_bulk(goods, api_as, buyer):
    api = api_as(buyer)
    answer = api.post("quick-order", {"text": "SKU;qty\nAD-24;50\nNOPE;1"})
    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert (body["valid"], body["invalid"], body["total"], body["currency"]) == (1, 1, "500.00", "CNY")
    first, second = body["lines"]
    assert (first["variant_id"], first["unit_price"], first["price_source"]) == (goods["adc"].pk, "10.00", "list")
    assert second["error"]["code"] == "unknown_sku" and second["line"] == 3
    as_data = api.post("quick-order", {"lines": [{"sku": "DA-16", "quantity": 2}]}).json()
    assert as_data["lines"][0]["line_total"] == "9.00"
    added = api.post("cart/items/bulk", {"items": [{"variant_id": goods["adc"].pk, "quantity": 50}]})
    assert added.status_code == 201, added.content
    assert added.json()["units"] == 50
    refused = api.post("cart/items/bulk", {"items": [{"variant_id": goods["dac"].pk, "quantity": 99}]})
    assert_error(refused, 409, "out_of_stock", "items.0")
    assert_error(api.post("cart/items/bulk", {"items": []}), 422)


def test_api_quick_order_needs_a_signed_in_buyer(goods, api):
    assert_error(api.post("quick-order", {"text": "AD-24,1"}), 401)


def test_api_too_many_lines(goods, api_as, buyer):
    text = "\n".join(f"S{i},1" for i in range(quick_order.MAX_LINES + 1))
    assert_error(api_as(buyer).post("quick-order", {"text": text}), 400, "too_many_lines", "text")


# ---------- pages ----------


def test_page_resolves_a_paste_and_adds_the_valid_lines(goods, client, buyer):
    client.force_login(buyer)
    page = client.get("/quick-order/")
    assert page.status_code == 200 and b'name="text"' in page.content
    resolved = client.post("/quick-order/", {"text": "AD-24, 50\nNOPE, 1", "action": "resolve"})
    assert resolved.status_code == 200
    html = resolved.content.decode()
    assert "24-bit AD converter" in html and "NOPE" in html and "unknown_sku" in html
    added = client.post("/quick-order/", {"text": "AD-24, 50\nNOPE, 1", "action": "add"})
    assert added.status_code == 302 and added["Location"] == "/cart/"
    assert CartItem.objects.get().quantity == 50


def test_page_reads_an_uploaded_file(goods, client, buyer):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(buyer)
    upload = SimpleUploadedFile("order.csv", b"sku,qty\nDA-16,4\n", content_type="text/csv")
    answer = client.post("/quick-order/", {"file": upload, "action": "resolve"})
    assert answer.status_code == 200 and "16-bit DA converter" in answer.content.decode()


def test_page_prefills_from_the_query_string(goods, client, buyer):
    client.force_login(buyer)
    page = client.get("/quick-order/", {"lines": "AD-24,60"})
    assert "AD-24,60" in page.content.decode() and "24-bit AD converter" in page.content.decode()


def test_page_is_in_chinese_too(goods, client, buyer):
    client.force_login(buyer)
    page = client.get("/quick-order/", headers={"accept-language": "zh-hans"})
    assert page.status_code == 200 and "快速下单" in page.content.decode()


def test_guests_are_sent_to_sign_in(client):
    assert client.get("/quick-order/")["Location"].startswith("/accounts/login/")
