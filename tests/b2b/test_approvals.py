"""Spending limits and approvals: an order over a purchaser's limit is held, however it is placed (service, API
checkout), until an approver approves or rejects it with a comment (web or API); the purchaser cannot decide it
himself by web or API; the decision is on the order's timeline; nobody deciding expires it."""
# ruff: noqa: F811 - the fixtures imported from tests.b2b.buying are arguments of the tests

from decimal import Decimal

import pytest

from tests import factories
from tests.api.conftest import Api, assert_error
from tests.b2b.buying import adc, approved_company, company, operator, place, staff, supplier  # noqa: F401
from tradeloop.accounts.services import issue_token
from tradeloop.b2b import approvals
from tradeloop.b2b.models import OrderApproval
from tradeloop.checkout import addresses as address_book
from tradeloop.core.errors import Conflict, PermissionDenied, ValidationFailed
from tradeloop.fulfilment.models import ShippingMethod
from tradeloop.inventory.models import Stock
from tradeloop.orders import selectors as order_reads
from tradeloop.orders import services as orders
from tradeloop.orders.models import Order

State = Order.State


def api_as(client, user) -> Api:
    return Api(client, issue_token(user=user)[1])


@pytest.fixture
def purchaser(company):
    return staff(company, "purchaser", limit="200.00")


@pytest.fixture
def approver(company):
    return staff(company, "approver")


def test_an_order_within_the_limit_goes_through_and_one_over_it_is_held(company, purchaser, adc):
    assert place(company, purchaser, adc, quantity=20).state == State.CONFIRMED  # 200.00: at the limit
    held = place(company, purchaser, adc, quantity=21)
    assert held.state == State.AWAITING_APPROVAL
    approval = OrderApproval.objects.get(order=held)
    assert approval.decision == "pending" and approval.requested_by == purchaser and "200.00" in approval.reason
    assert Stock.objects.get(variant=adc).reserved == 21  # held for the approver, not taken


def test_approvers_and_owners_are_not_held_and_a_limit_in_another_currency_holds(company, approver, adc):
    membership = company.organization.memberships.get(user=approver)
    approvals.set_spending_limit(actor=company.owner, company=company, membership_id=membership.pk, amount="1")
    assert place(company, approver, adc, quantity=50).state == State.CONFIRMED  # may approve: not held
    buyer = staff(company, "purchaser")
    membership = company.organization.memberships.get(user=buyer)
    approvals.set_spending_limit(
        actor=company.owner, company=company, membership_id=membership.pk, amount="9999", currency="USD"
    )
    assert place(company, buyer, adc, quantity=1).state == State.AWAITING_APPROVAL


def test_only_owner_or_admin_set_limits(company, purchaser, approver):
    membership = company.organization.memberships.get(user=purchaser)
    with pytest.raises(PermissionDenied):
        approvals.set_spending_limit(actor=approver, company=company, membership_id=membership.pk, amount="1e6")
    with pytest.raises(ValidationFailed):
        approvals.set_spending_limit(actor=company.owner, company=company, membership_id=membership.pk, amount="-1")
    approvals.set_spending_limit(actor=company.owner, company=company, membership_id=membership.pk, amount=None)
    assert not hasattr(company.organization.memberships.get(user=purchaser), "spending_limit")


def test_approve_confirms_and_the_comment_is_on_the_timeline(company, purchaser, approver, adc):
    held = place(company, purchaser, adc, quantity=30)
    approval = OrderApproval.objects.get(order=held)
    with pytest.raises(PermissionDenied):
        approvals.approve(actor=purchaser, approval_id=approval.pk)
    approvals.approve(actor=approver, approval_id=approval.pk, comment="OK for the Q3 build")
    held.refresh_from_db()
    assert held.state == State.CONFIRMED and Stock.objects.get(variant=adc).on_hand == 970
    assert any(e.reason == "approved: OK for the Q3 build" for e in order_reads.timeline(held))
    with pytest.raises(Conflict) as twice:
        approvals.reject(actor=approver, approval_id=approval.pk, comment="no")
    assert twice.value.code == "already_decided"


def test_a_prepay_order_approved_waits_for_its_payment_and_a_rejection_needs_a_reason(
    company, purchaser, approver, adc
):
    held = place(company, purchaser, adc, quantity=30, terms="prepay")
    approval = OrderApproval.objects.get(order=held)
    with pytest.raises(ValidationFailed):
        approvals.reject(actor=approver, approval_id=approval.pk, comment="  ")
    approvals.approve(actor=approver, approval_id=approval.pk)
    held.refresh_from_db()
    assert held.state == State.PENDING_PAYMENT


def test_reject_cancels_and_releases_the_stock(company, purchaser, approver, adc):
    held = place(company, purchaser, adc, quantity=30)
    approval = OrderApproval.objects.get(order=held)
    approvals.reject(actor=company.owner, approval_id=approval.pk, comment="Too many; order 20")
    held.refresh_from_db()
    assert held.state == State.CANCELLED and Stock.objects.get(variant=adc).reserved == 0
    assert any(e.reason == "rejected: Too many; order 20" for e in order_reads.timeline(held))
    approval.refresh_from_db()
    assert (approval.decision, approval.decided_by, approval.comment) == (
        "rejected",
        company.owner,
        "Too many; order 20",
    )


def test_nobody_deciding_in_time_expires_the_request(company, purchaser, adc, clock):
    held = place(company, purchaser, adc, quantity=30)
    clock.advance(days=8)
    orders.sweep_unpaid_orders()
    held.refresh_from_db()
    assert held.state == State.CANCELLED
    assert OrderApproval.objects.get(order=held).decision == "expired"


def test_another_company_sees_nothing(operator, company, purchaser, adc):
    held = place(company, purchaser, adc, quantity=30)
    approval = OrderApproval.objects.get(order=held)
    other = approved_company(operator, name="Other Ltd")
    with pytest.raises(Exception) as hidden:
        approvals.approve(actor=other.owner, approval_id=approval.pk)
    assert type(hidden.value).__name__ == "NotFound"
    assert approvals.inbox(actor=other.owner).items == []


# ---------- through the API and the web: no way around the approver ----------


@pytest.fixture
def express(supplier):
    return ShippingMethod.objects.create(seller=supplier, name="Express", rate=Decimal("0.00"))


def test_an_api_checkout_over_the_limit_is_held_and_the_purchaser_cannot_approve_it(
    client, company, purchaser, approver, adc, express
):
    me = api_as(client, purchaser)
    assert me.post("cart/items", {"variant_id": adc.pk, "quantity": 25}).status_code == 201
    address = address_book.save_address(
        actor=purchaser, data={"name": "Li Lei", "phone": "138", "line1": "1 Road", "city": "Shenzhen"}
    )
    placed = me.post("checkout", {"address_id": address.pk, "shipping": {str(adc.product.seller_id): express.pk}})
    assert placed.status_code == 201, placed.content
    order = Order.objects.get(buyer=purchaser)
    assert (order.mode, order.buyer_org, order.state) == ("b2b", company.organization, State.AWAITING_APPROVAL)

    mine = me.get("approvals").json()["items"]
    assert [a["order"]["number"] for a in mine] == [order.number]
    approval_id = mine[0]["id"]
    assert_error(me.post(f"approvals/{approval_id}/approve", {"comment": "me"}), 403)
    order.refresh_from_db()
    assert order.state == State.AWAITING_APPROVAL

    boss = api_as(client, approver)
    assert_error(boss.post(f"approvals/{approval_id}/reject", {}), 400, field="comment")
    done = boss.post(f"approvals/{approval_id}/approve", {"comment": "fine"})
    assert done.status_code == 200 and done.json()["decision"] == "approved"
    assert_error(boss.post(f"approvals/{approval_id}/approve", {}), 409, "already_decided")
    stranger = api_as(client, factories.UserFactory())
    assert_error(stranger.get(f"approvals/{approval_id}"), 404)


def test_the_purchaser_cannot_approve_on_the_web_and_the_approver_can(client, company, purchaser, approver, adc):
    held = place(company, purchaser, adc, quantity=30)
    approval = OrderApproval.objects.get(order=held)
    url = f"/companies/{company.organization_id}/approvals/{approval.pk}/"
    client.force_login(purchaser)
    page = client.get(url)
    assert page.status_code == 200 and "An approver of your company decides" in page.content.decode()
    assert client.post(url + "approve/", {"comment": "self"}).status_code == 403
    held.refresh_from_db()
    assert held.state == State.AWAITING_APPROVAL

    client.force_login(approver)
    inbox = client.get(f"/companies/{company.organization_id}/approvals/")
    assert inbox.status_code == 200 and held.number in inbox.content.decode()
    assert client.post(url + "reject/", {"comment": ""}).status_code == 400
    assert client.post(url + "reject/", {"comment": "Over budget"}).status_code == 302
    held.refresh_from_db()
    assert held.state == State.CANCELLED
    client.force_login(factories.UserFactory())
    assert client.get(url).status_code == 404


def test_the_approvals_list_takes_a_fixed_number_of_queries(
    client, company, purchaser, approver, adc, django_assert_max_num_queries
):
    for _ in range(5):
        place(company, purchaser, adc, quantity=21, terms="prepay")
    boss = api_as(client, approver)
    with django_assert_max_num_queries(8):
        assert len(boss.get("approvals").json()["items"]) == 5
    client.force_login(approver)
    with django_assert_max_num_queries(14):
        assert client.get(f"/companies/{company.organization_id}/approvals/").status_code == 200


def test_approvers_are_told_an_order_waits_and_the_purchaser_of_the_decision(
    company, purchaser, approver, adc, celery_eager, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        held = place(company, purchaser, adc, quantity=30)
    waiting = {m.to[0]: m.subject for m in mailoutbox if held.number in m.subject}
    assert waiting[approver.email] == f"Order {held.number} waits for your approval"
    assert waiting[company.owner.email] == waiting[approver.email]  # owners may approve too
    assert purchaser.email in waiting  # "waiting for approval"
    to_approver = next(m for m in mailoutbox if m.to == [approver.email] and "approval" in m.subject)
    assert f"/companies/{company.organization_id}/approvals/" in to_approver.body
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        approvals.approve(actor=approver, approval_id=held.approval.pk, comment="Go ahead")
    [told] = mailoutbox
    assert told.to == [purchaser.email] and told.subject == f"Decision on your order {held.number}"
    assert "approved and is confirmed on payment terms" in told.body and "approved: Go ahead" in told.body
