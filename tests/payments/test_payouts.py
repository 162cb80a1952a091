"""Payouts: sellers' available balances are paid exactly once, through the provider, from the console,
the API, the CLI and the daily job."""

import threading
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection

from tests import factories
from tests.api.conftest import assert_error
from tests.ledger.builders import paid_order
from tradeloop.core import clock
from tradeloop.core.money import Money
from tradeloop.ledger import services as ledger
from tradeloop.ledger.selectors import balance, ledger_is_balanced, seller_balances
from tradeloop.payments import services
from tradeloop.payments.models import Payout
from tradeloop.payments.providers import sandbox
from tradeloop.payments.providers.base import Outcome


def earn(seller, buyer, total="100.00", rate="0.10", settle=True, currency="CNY"):
    order = paid_order(seller, buyer, total=total, rate=rate, currency=currency)
    ledger.record_sale(order=order)
    if settle:
        ledger.settle(order=order)
    return order


def cny(amount) -> Money:
    return Money(Decimal(str(amount)), "CNY")


@pytest.mark.django_db
def test_available_balance_is_paid_once_and_pending_waits(merchant, user):
    earn(merchant, user, total="100.00")
    earn(merchant, user, total="50.00", settle=False)
    paid = services.run_payouts(now=clock.now())
    assert [(p.amount, p.state) for p in paid] == [(Decimal("90"), Payout.State.PAID)]
    assert paid[0].provider_ref.startswith("sbx_po_")
    assert paid[0].paid_at is not None
    assert services.run_payouts(now=clock.now()) == []
    balances = seller_balances(merchant)["CNY"]
    assert balances["available"] == cny(0)
    assert balances["pending"] == cny(45)
    assert balance(ledger.platform_clearing("CNY")) == cny(60)  # 150 taken in, 90 paid out
    assert ledger_is_balanced()


@pytest.mark.django_db
def test_each_currency_is_paid_separately_and_only_the_given_seller(merchant, user):
    rival = factories.seller_with_owner(name="Rival")
    earn(merchant, user, total="100.00")
    earn(merchant, user, total="1000", currency="JPY")
    earn(rival, user, total="10.00")
    paid = services.run_payouts(now=clock.now(), seller=merchant)
    assert sorted((p.currency, p.amount) for p in paid) == [("CNY", Decimal("90")), ("JPY", Decimal("900"))]
    assert seller_balances(rival)["CNY"]["available"] == cny(9)


@pytest.mark.django_db
def test_a_refused_payout_leaves_the_money_available(merchant, user, monkeypatch):
    earn(merchant, user)
    monkeypatch.setattr(sandbox.SandboxProvider, "payout", lambda self, payout: Outcome.failed("account closed"))
    [payout] = services.run_payouts(now=clock.now())
    assert payout.state == Payout.State.FAILED
    assert seller_balances(merchant)["CNY"]["available"] == cny(90)
    assert ledger_is_balanced()


@pytest.mark.django_db
def test_the_payout_webhook_is_a_no_op_once_paid(merchant, user, settings, django_capture_on_commit_callbacks):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    earn(merchant, user)
    with django_capture_on_commit_callbacks(execute=True):
        [payout] = services.run_payouts(now=clock.now())
    payout.refresh_from_db()
    assert payout.state == Payout.State.PAID
    from tradeloop.payments.models import WebhookEvent

    assert WebhookEvent.objects.filter(kind="payout.paid").count() == 1


@pytest.mark.django_db
def test_the_cli_pays_out_and_its_dry_run_pays_nothing(merchant, user):
    earn(merchant, user)
    out = StringIO()
    call_command("payouts", "--dry-run", stdout=out)
    assert merchant.slug in out.getvalue() and "dry run" in out.getvalue()
    assert not Payout.objects.exists()
    out = StringIO()
    call_command("payouts", "--seller", merchant.slug, stdout=out)
    assert "1 payout(s) made" in out.getvalue()
    assert Payout.objects.get().state == Payout.State.PAID


@pytest.mark.django_db
def test_the_cli_refuses_an_unknown_seller():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("payouts", "--seller", "nobody")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_runs_never_pay_the_same_money_twice():
    seller = factories.seller_with_owner()
    buyer = factories.UserFactory()
    for _ in range(3):
        earn(seller, buyer, total="100.00")
    barrier = threading.Barrier(4)
    results, errors = [], []

    def run():
        try:
            barrier.wait()
            results.append(services.run_payouts(now=clock.now()))
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sorted(len(r) for r in results) == [0, 0, 0, 1]
    assert Payout.objects.get().amount == Decimal("270")
    assert seller_balances(seller)["CNY"]["available"] == cny(0)
    assert ledger_is_balanced()


# --- console ------------------------------------------------------------------------------------------------------


@pytest.fixture
def console_client(client, merchant):
    client.force_login(merchant.owner)
    return client


def payouts_url(org) -> str:
    return f"/console/{org.pk}/payouts/"


@pytest.mark.django_db
def test_console_shows_balances_and_history_and_pays_on_request(console_client, merchant, user):
    earn(merchant, user, total="100.00")
    earn(merchant, user, total="20.00", settle=False)
    page = console_client.get(payouts_url(merchant))
    assert page.status_code == 200
    text = page.content.decode()
    assert "90.00" in text and "18.00" in text  # available, pending
    assert "Request payout now" in text
    answer = console_client.post(f"/console/{merchant.pk}/payouts/request/", follow=True)
    assert answer.status_code == 200
    assert Payout.objects.get().requested_by == merchant.owner
    assert "Paid" in answer.content.decode()


@pytest.mark.django_db
def test_console_payouts_need_finance_roles(client, merchant):
    support = factories.member(merchant, "support")
    client.force_login(support)
    assert client.get(payouts_url(merchant)).status_code == 403
    finance_viewer = factories.member(merchant, "finance")
    client.force_login(finance_viewer)
    assert client.get(payouts_url(merchant)).status_code == 200


@pytest.mark.django_db
def test_console_payouts_of_another_seller_answer_404(console_client):
    rival = factories.seller_with_owner(name="Rival")
    assert console_client.get(payouts_url(rival)).status_code == 404
    assert console_client.post(f"/console/{rival.pk}/payouts/request/").status_code == 404


@pytest.mark.django_db
def test_console_payouts_page_query_budget(console_client, merchant, user, django_assert_max_num_queries):
    from django.test.utils import CaptureQueriesContext

    earn(merchant, user, total="10.00")
    services.run_payouts(now=clock.now())
    console_client.get(payouts_url(merchant))  # the session remembers the organization
    with CaptureQueriesContext(connection) as one_payout:
        console_client.get(payouts_url(merchant))
    for _ in range(30):
        earn(merchant, user, total="10.00")
        services.run_payouts(now=clock.now())
    with django_assert_max_num_queries(len(one_payout.captured_queries)):  # the same with 31 payouts
        assert console_client.get(payouts_url(merchant)).status_code == 200
    assert len(one_payout.captured_queries) <= 14


# --- API ----------------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_api_payout_request_honours_the_idempotency_key(merchant, user, api_as):
    earn(merchant, user)
    api = api_as(merchant.owner)
    body = {"organization": merchant.pk}
    first = api.post("payouts", body, HTTP_IDEMPOTENCY_KEY="po-1")
    assert first.status_code == 201, first.content
    assert first.json()["payouts"][0]["amount"] == "90.00"
    earn(merchant, user)  # more money arrives; a replay must not pay it
    again = api.post("payouts", body, HTTP_IDEMPOTENCY_KEY="po-1")
    assert again.status_code == 201
    assert again.json() == first.json()
    assert Payout.objects.count() == 1
    assert_error(api.post("payouts", {"organization": 999999}, HTTP_IDEMPOTENCY_KEY="po-1"), 409)


@pytest.mark.django_db
def test_api_payout_needs_finance_manage(merchant, api_as):
    viewer = factories.member(merchant, "support")
    assert_error(api_as(viewer).post("payouts", {"organization": merchant.pk}), 403, "permission_denied")
    rival = factories.seller_with_owner(name="Rival")
    assert_error(api_as(merchant.owner).post("payouts", {"organization": rival.pk}), 404)


@pytest.mark.django_db
def test_api_lists_only_the_callers_payouts(merchant, user, api_as, django_assert_max_num_queries):
    rival = factories.seller_with_owner(name="Rival")
    for _ in range(30):
        earn(merchant, user, total="10.00")
        services.run_payouts(now=clock.now())
    earn(rival, user)
    services.run_payouts(now=clock.now())
    api = api_as(merchant.owner)
    with django_assert_max_num_queries(6):
        page = api.get("payouts", {"organization": merchant.pk, "limit": 20})
    assert page.status_code == 200
    assert len(page.json()["items"]) == 20
    rest = api.get("payouts", {"organization": merchant.pk, "cursor": page.json()["next_cursor"]}).json()
    assert len(rest["items"]) == 10 and rest["next_cursor"] is None
    everything = api.get("payouts").json()["items"]
    assert {p["organization_id"] for p in everything} == {merchant.pk}
    assert_error(api.get("payouts", {"organization": rival.pk}), 404)
