"""GET ledger/accounts and ledger/accounts/{id}/entries: balances derived from entries, scoped to the caller."""

from decimal import Decimal

import pytest
from django.urls import reverse

from tests import factories
from tests.api.conftest import assert_error
from tests.ledger.builders import paid_order
from tradeloop.core.money import Money
from tradeloop.ledger import services as ledger

pytestmark = pytest.mark.django_db


def sell(seller, buyer, total="100.00", settle=False):
    order = paid_order(seller, buyer, total=total, rate="0.10")
    ledger.record_sale(order=order)
    if settle:
        ledger.settle(order=order)
    return order


def test_a_seller_sees_its_own_accounts_with_balances(merchant, user, api_as):
    rival = factories.seller_with_owner(name="Rival")
    sell(merchant, user, settle=True)
    sell(merchant, user, total="50.00")
    sell(rival, user)
    answer = api_as(merchant.owner).get("ledger/accounts")
    assert answer.status_code == 200
    rows = {row["code"]: row for row in answer.json()["items"]}
    assert set(rows) == {f"seller:{merchant.pk}:available:CNY", f"seller:{merchant.pk}:pending:CNY"}
    assert rows[f"seller:{merchant.pk}:available:CNY"]["balance"] == "90.00"
    assert rows[f"seller:{merchant.pk}:pending:CNY"]["balance"] == "45.00"
    assert rows[f"seller:{merchant.pk}:pending:CNY"]["organization_id"] == merchant.pk


def test_members_without_finance_view_see_nothing(merchant, user, api_as):
    sell(merchant, user)
    support = factories.member(merchant, "support")
    assert api_as(support).get("ledger/accounts").json()["items"] == []
    assert api_as(user).get("ledger/accounts").json()["items"] == []


def test_operators_see_every_account(merchant, user, api_as):
    sell(merchant, user)
    operator = factories.UserFactory(is_staff=True)
    codes = {row["code"] for row in api_as(operator).get("ledger/accounts").json()["items"]}
    assert {"platform:clearing:CNY", "platform:revenue:CNY", f"seller:{merchant.pk}:pending:CNY"} <= codes
    revenue = api_as(operator).get("ledger/accounts").json()["items"]
    assert next(r for r in revenue if r["code"] == "platform:revenue:CNY")["balance"] == "10.00"


def test_accounts_need_sign_in(api):
    assert_error(api.get("ledger/accounts"), 401)


def test_entries_of_an_account_newest_first(merchant, user, api_as):
    order = sell(merchant, user)
    ledger.record_refund(order=order, amount=Money(Decimal(10), "CNY"), ref="r1")
    account = ledger.seller_pending(merchant, "CNY")
    answer = api_as(merchant.owner).get(f"ledger/accounts/{account.pk}/entries")
    assert answer.status_code == 200
    body = answer.json()
    assert body["account"]["balance"] == "81.00"
    assert [(e["transaction_ref"], e["amount"]) for e in body["items"]] == [
        (f"order:{order.pk}:refund:r1", "9.00"),
        (f"order:{order.pk}:paid", "-90.00"),
    ]


def test_another_sellers_account_answers_404(merchant, user, api_as):
    rival = factories.seller_with_owner(name="Rival")
    sell(rival, user)
    account = ledger.seller_pending(rival, "CNY")
    assert_error(api_as(merchant.owner).get(f"ledger/accounts/{account.pk}/entries"), 404)
    platform = ledger.platform_revenue("CNY")
    assert_error(api_as(merchant.owner).get(f"ledger/accounts/{platform.pk}/entries"), 404)


def test_accounts_query_budget_and_keyset_pages(user, api_as, django_assert_max_num_queries):
    operator = factories.UserFactory(is_staff=True)
    for i in range(30):
        sell(factories.seller_with_owner(name=f"Shop {i}"), user, total="10.00")
    api = api_as(operator)
    with django_assert_max_num_queries(5):
        first = api.get("ledger/accounts", {"limit": 25})
    assert first.status_code == 200
    body = first.json()
    assert len(body["items"]) == 25 and body["next_cursor"]
    rest = api.get("ledger/accounts", {"limit": 25, "cursor": body["next_cursor"]}).json()
    assert len(rest["items"]) == 8 and rest["next_cursor"] is None  # 30 sellers + clearing + payments + revenue
    codes = [r["code"] for r in body["items"] + rest["items"]]
    assert codes == sorted(codes) and len(set(codes)) == 33


def test_entries_query_budget(merchant, user, api_as, django_assert_max_num_queries):
    for _ in range(30):
        sell(merchant, user, total="10.00")
    account = ledger.seller_pending(merchant, "CNY")
    with django_assert_max_num_queries(6):
        answer = api_as(merchant.owner).get(f"ledger/accounts/{account.pk}/entries", {"limit": 30})
    assert len(answer.json()["items"]) == 30


def test_admin_lists_accounts_with_balances_in_few_queries(client, user, django_assert_max_num_queries):
    client.force_login(factories.UserFactory(is_staff=True, is_superuser=True))
    for i in range(30):
        sell(factories.seller_with_owner(name=f"Shop {i}"), user, total="10.00")
    with django_assert_max_num_queries(10):
        page = client.get(reverse("admin:ledger_account_changelist"))
    assert page.status_code == 200
    assert "¥300.00" in page.content.decode()  # the clearing account's balance
    order = sell(factories.seller_with_owner(name="Last"), user)
    txn = ledger.transaction_for(f"order:{order.pk}:paid")
    detail = client.get(reverse("admin:ledger_transaction_change", args=[txn.pk]))
    assert detail.status_code == 200
    assert "platform:payments:CNY" in detail.content.decode()
