"""GET payments/{token}: the payer sees the payment's status; anyone else gets 404."""

import pytest

from tests import factories
from tests.api.conftest import assert_error
from tests.payments.conftest import captured_event, signed
from tradeloop.payments import services

pytestmark = pytest.mark.django_db


def test_the_payer_sees_the_payment(start, buyer, api_as):
    payment, _ = start(amount="88.00")
    services.handle_webhook(provider="sandbox", request=signed(captured_event(payment)))
    answer = api_as(buyer).get(f"payments/{payment.token}")
    assert answer.status_code == 200
    body = answer.json()
    assert body["state"] == "captured"
    assert body["amount"] == body["captured_amount"] == "88.00"
    assert body["refunds"] == []


def test_anyone_else_gets_404(start, api_as, api):
    payment, _ = start()
    assert_error(api_as(factories.UserFactory()).get(f"payments/{payment.token}"), 404)
    assert_error(api.get(f"payments/{payment.token}"), 401)
    assert_error(api_as(factories.UserFactory()).get("payments/nope"), 404)
