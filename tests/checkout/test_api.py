from tests.api.conftest import assert_error
from tests.checkout.conftest import fill_cart
from tests.factories import seller_with_owner
from tradeloop.checkout.models import Checkout
from tradeloop.orders.models import Order


def address_body():
    return {"name": "Li Lei", "phone": "13800000000", "line1": "1 Nanjing Road", "city": "Shanghai"}


def test_cart_through_the_api(shop, buyer, api_as):
    me = api_as(buyer)
    added = me.post("cart/items", {"variant_id": shop["tea"].pk, "quantity": 2})
    assert added.status_code == 201, added.content
    line = added.json()
    assert (line["quantity"], line["unit_price"], line["line_total"], line["available"]) == (2, "88.00", "176.00", 10)
    me.post("cart/items", {"variant_id": shop["apples"].pk, "quantity": 1})
    cart = me.get("cart").json()
    assert cart["units"] == 3 and cart["currency"] == "CNY" and cart["subtotal"] == "188.50"
    assert [g["seller"]["name"] for g in cart["groups"]] == ["Fruit Farm", "Tea House"]
    assert me.patch(f"cart/items/{line['id']}", {"quantity": 5}).json()["quantity"] == 5
    assert me.delete(f"cart/items/{line['id']}").status_code == 204
    assert me.get("cart").json()["units"] == 1
    assert me.delete("cart").status_code == 204
    assert me.get("cart").json()["groups"] == []


def test_cart_errors_are_clear(shop, buyer, api_as, api):
    me = api_as(buyer)
    assert_error(me.post("cart/items", {"variant_id": shop["tea"].pk, "quantity": 11}), 409, "out_of_stock", "quantity")
    assert_error(me.post("cart/items", {"variant_id": 10**9, "quantity": 1}), 404, "not_found", "variant")
    assert_error(me.post("cart/items", {"variant_id": shop["tea"].pk, "quantity": 0}), 422, "invalid", "quantity")
    assert_error(api.get("cart"), 401, "not_authenticated")
    theirs = api_as(seller_with_owner().owner)
    line = me.post("cart/items", {"variant_id": shop["tea"].pk}).json()
    assert_error(theirs.patch(f"cart/items/{line['id']}", {"quantity": 2}), 404)
    assert_error(theirs.delete(f"cart/items/{line['id']}"), 404)


def test_checkout_through_the_api_is_idempotent(shop, buyer, api_as):
    me = api_as(buyer)
    me.post("cart/items", {"variant_id": shop["tea"].pk, "quantity": 2})
    me.post("cart/items", {"variant_id": shop["apples"].pk, "quantity": 10})
    address = me.post("addresses", address_body()).json()
    quote = me.post("checkout/quote", {}).json()
    assert quote["total"] == "313.00"  # 176 + 12 shipping; 125 ships free (over 100)
    body = {"address_id": address["id"], "shipping": {str(shop["tea_house"].pk): shop["express"].pk}}
    first = me.post("checkout", body, HTTP_IDEMPOTENCY_KEY="k-1")
    assert first.status_code == 201, first.content
    again = me.post("checkout", body, HTTP_IDEMPOTENCY_KEY="k-1")
    assert again.status_code == 201 and again.json()["checkout_id"] == first.json()["checkout_id"]
    assert Checkout.objects.count() == 1 and Order.objects.count() == 2
    assert len(first.json()["orders"]) == 2 and first.json()["total"] == "313.00"
    assert_error(
        me.post("checkout", {**body, "coupon_codes": ["X"]}, HTTP_IDEMPOTENCY_KEY="k-1"), 409, "idempotency_mismatch"
    )


def test_checkout_refuses_an_unknown_coupon_and_an_empty_cart(shop, buyer, api_as):
    me = api_as(buyer)
    address = me.post("addresses", address_body()).json()
    assert_error(me.post("checkout", {"address_id": address["id"]}), 400, "invalid", "cart")
    me.post("cart/items", {"variant_id": shop["tea"].pk})
    response = me.post("checkout", {"address_id": address["id"], "coupon_codes": ["NOPE"]})
    assert_error(response, 400, "coupon_not_applied", "coupon_codes")
    assert not Order.objects.exists()


def test_orders_and_the_order_desk(shop, buyer, api_as, pay):
    from tradeloop.checkout import addresses as address_book
    from tradeloop.checkout import services as checkout

    fill_cart(buyer, [(shop["tea"], 1), (shop["apples"], 2)])
    address = address_book.save_address(actor=buyer, data=address_body())
    placed = checkout.place(buyer=buyer, address_id=address.pk, shipping_choices={}, coupon_codes=[], key=None)
    pay(placed.checkout.payment)
    me = api_as(buyer)
    mine = me.get("orders").json()["items"]
    assert {o["state"] for o in mine} == {"paid"} and len(mine) == 2
    detail = me.get(f"orders/{mine[0]['number']}").json()
    assert [e["new"] for e in detail["timeline"]] == ["pending_payment", "paid"]
    assert {a["kind"] for a in detail["adjustments"]} == {"shipping"}

    owner = api_as(shop["tea_house"].owner)
    desk = owner.get("seller/orders", {"organization": shop["tea_house"].pk, "status": "paid"}).json()["items"]
    assert [o["buyer_email"] for o in desk] == [buyer.email]
    assert owner.get("seller/orders", {"organization": shop["tea_house"].pk, "q": "SKU-0"}).json()["items"]
    assert not owner.get("seller/orders", {"organization": shop["tea_house"].pk, "q": "nobody@x"}).json()["items"]
    fruit_order = next(o for o in mine if o["seller_id"] == shop["fruit_farm"].pk)
    assert_error(owner.get(f"seller/orders/{fruit_order['id']}"), 404)
    assert_error(api_as(seller_with_owner().owner).get(f"orders/{fruit_order['number']}"), 404)


def test_warehouses_and_adjustments(shop, api_as):
    owner = api_as(shop["tea_house"].owner)
    org = shop["tea_house"].pk
    created = owner.post("seller/warehouses", {"organization": org, "name": "Hangzhou", "priority": 5})
    assert created.status_code == 201, created.content
    assert [w["name"] for w in owner.get("seller/warehouses", {"organization": org}).json()] == [
        "Main warehouse",
        "Hangzhou",
    ]
    level = owner.get("seller/stock/levels", {"organization": org}).json()["items"][0]
    adjusted = owner.post(
        "seller/stock/adjustments", {"stock_id": level["id"], "delta": -3, "reason": "damaged", "note": "wet"}
    )
    assert adjusted.status_code == 201 and adjusted.json()["on_hand"] == 7
    assert_error(
        owner.post("seller/stock/adjustments", {"stock_id": level["id"], "delta": -30, "reason": "damaged"}), 409
    )
    assert_error(owner.post("seller/stock/adjustments", {"stock_id": level["id"], "delta": 1, "reason": "sold"}), 422)
    moves = owner.get(f"seller/stock/levels/{level['id']}/movements").json()
    assert moves[0]["on_hand_delta"] == -3 and moves[0]["note"] == "wet"
    assert owner.get("seller/stock", {"organization": org}).json()["items"][0]["stock"] == 7
    rival = api_as(shop["fruit_farm"].owner)
    assert_error(rival.post("seller/stock/adjustments", {"stock_id": level["id"], "delta": 1, "reason": "count"}), 404)
