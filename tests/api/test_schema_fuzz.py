"""Schemathesis reads our own OpenAPI and throws generated requests at every operation, in-process, as an anonymous
caller, a buyer and a merchant: nothing may answer 5xx, and every answer must match its documented schema."""

from decimal import Decimal

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.test import Client
from hypothesis import HealthCheck, Phase, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from tests import factories
from tests.api.conftest import Api
from tradeloop.accounts.services import issue_token

CHECKS = [not_a_server_error, response_schema_conformance, content_type_conformance, status_code_conformance]
ROLES = ["anonymous", "buyer", "merchant"]


@pytest.fixture
def keep_test_connection(world):
    """Requests go through the real WSGI handler, which closes the database connection after each one (the test
    client avoids that the same way): on PostgreSQL that would end the test's transaction. After `world`: the test
    client it uses reconnects the signal when its own requests finish."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


@pytest.fixture
def world(db):
    """A merchant with a product, a shipping method and a coupon; a buyer with an address, a cart line, a delivered
    order and a conversation: so generated requests that hit a real id reach real objects. Built through the API
    itself where it can be, as a client would."""
    merchant = factories.seller_with_owner(kind="merchant")
    product = factories.published_product(merchant, category=factories.CategoryFactory(slug="fruit"))
    variant = product.variants.get()
    promo = factories.promotion(merchant, code="TEN", value=Decimal("10"))
    buyer = factories.UserFactory()
    order = factories.delivered_order(seller=merchant, buyer=buyer)
    tokens = {"buyer": issue_token(user=buyer)[1], "merchant": issue_token(user=merchant.owner)[1]}
    as_buyer, as_merchant = Api(Client(), tokens["buyer"]), Api(Client(), tokens["merchant"])
    address = as_buyer.post("addresses", {"name": "Li Lei", "phone": "138", "line1": "1 Road", "city": "Shanghai"})
    item = as_buyer.post("cart/items", {"variant_id": variant.pk, "quantity": 1})
    conversation = as_buyer.post("conversations", {"body": "Is it fresh?", "product_id": product.pk})
    method = as_merchant.post("seller/shipping-methods", {"organization": merchant.pk, "name": "SF", "rate": "10"})
    ids = {
        "organization_id": merchant.pk,
        "product_id": product.pk,
        "variant_id": variant.pk,
        "promotion_id": promo.pk,
        "order_id": order.pk,
        "number": order.number,
        "shipment_id": order.shipments.get().pk,
        "address_id": address.json()["id"],
        "item_id": item.json()["id"],
        "conversation_id": conversation.json()["conversation"]["id"],
        "method_id": method.json()["id"],
    }
    return ids, tokens


def aim_at_real_objects(case, ids: dict) -> None:
    """Half of the generated ids (deterministically: the even ones, the even-length strings) become the id of a real
    object, so the fuzzing reaches past the 404s into the code that shapes real answers."""
    for name, value in (case.path_parameters or {}).items():
        if name in ids and len(str(value)) % 2 == 0:
            case.path_parameters[name] = ids[name]


# Loaded at collection (the schema needs no database); schemathesis' lazy fixture loader does not support pytest 9.
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())


@pytest.mark.parametrize("role", ROLES)
@schema.parametrize()
@settings(
    max_examples=8,  # per operation and role: 3 × every operation of every app, so keep each one cheap
    deadline=None,
    derandomize=True,  # the same examples on every run: a failure here is reproducible
    database=None,  # no .hypothesis/ folder in the work tree
    phases=[Phase.explicit, Phase.generate],  # shrinking a failure is left to whoever debugs it
    suppress_health_check=list(HealthCheck),
)
def test_every_operation_keeps_its_contract(case, role, world, keep_test_connection):
    ids, tokens = world
    aim_at_real_objects(case, ids)
    headers = {"Authorization": f"Bearer {tokens[role]}"} if role in tokens else {}
    case.call_and_validate(headers=headers, checks=CHECKS)
