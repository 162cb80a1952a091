"""Invoice numbers have no gaps per seller, even when many are issued at once and some issues roll back."""

import pytest

from tests.invoicing.conftest import terms_order
from tests.races import RACE_MARKS, RACERS, race
from tradeloop.core.errors import Conflict
from tradeloop.invoicing import services
from tradeloop.invoicing.models import Invoice

pytestmark = RACE_MARKS


def _numbers(seller) -> list[int]:
    return sorted(
        int(n.rsplit("-", 1)[1]) for n in Invoice.objects.filter(seller=seller).values_list("number", flat=True)
    )


def test_concurrent_issues_take_consecutive_numbers(supplier, company):
    placed = [terms_order(supplier=supplier, company=company) for _ in range(RACERS)]
    outcomes = race(lambda i: services.issue_shipping_invoice(order=placed[i]))
    assert outcomes == ["ok"] * RACERS
    assert _numbers(supplier) == list(range(1, RACERS + 1))


def test_an_issue_that_rolls_back_leaves_no_gap(supplier, company):
    placed = [terms_order(supplier=supplier, company=company) for _ in range(RACERS)]

    def issue(i: int) -> None:
        services.issue_shipping_invoice(order=placed[i])
        if i % 3 == 0:
            raise Conflict("the shipment failed after the invoice", code="rolled_back")

    outcomes = race(issue)
    kept = outcomes.count("ok")
    assert kept == RACERS - len(range(0, RACERS, 3))
    assert _numbers(supplier) == list(range(1, kept + 1))


@pytest.mark.parametrize("racers", [RACERS])
def test_the_same_order_shipped_at_once_is_invoiced_once(supplier, company, racers):
    order = terms_order(supplier=supplier, company=company)
    race(lambda i: services.issue_shipping_invoice(order=order), racers)
    assert order.invoices.count() == 1 and _numbers(supplier) == [1]
