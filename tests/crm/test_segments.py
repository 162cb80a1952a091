"""Segments select from the summary rows in one query; time rules follow the clock; campaigns reach each member
once; a segment's coupon is usable by its members only."""

from decimal import Decimal

import pytest

from tests import factories
from tests.promotions.conftest import cny, line
from tradeloop.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from tradeloop.crm import selectors, services
from tradeloop.crm.models import Campaign, Customer, Recipient
from tradeloop.promotions import services as promotions

pytestmark = pytest.mark.django_db


def ids(qs) -> set[int]:
    return set(qs.values_list("user_id", flat=True))


@pytest.fixture
def book(shop, buy, clock):
    """Old: ordered once 100 days ago (Nanjing); big: spent 300 over 2 orders (Shanghai); new: ordered today."""
    people = {name: factories.UserFactory(name=name.title()) for name in ("old", "big", "new")}
    buy(people["old"], price="20.00", city="Nanjing")
    clock.advance(days=100)
    buy(people["big"], price="100.00")
    buy(people["big"], price="200.00")
    buy(people["new"], price="10.00")
    return people


def segment(shop, *rules, name="Test"):
    return services.create_segment(actor=shop.owner, seller=shop, name=name, rules=list(rules))


def test_rules_combine_with_and(shop, book):
    s = segment(shop, {"kind": "spent_over", "value": "150"}, {"kind": "min_orders", "value": 2})
    assert ids(services.members(s)) == {book["big"].pk}
    s = segment(shop, {"kind": "city_is", "value": "nanjing"})
    assert ids(services.members(s)) == {book["old"].pk}
    s = segment(shop, {"kind": "city_is", "value": "Shanghai"}, {"kind": "spent_over", "value": "50"})
    assert ids(services.members(s)) == {book["big"].pk}


def test_no_order_for_90_days_follows_the_clock(shop, book, clock):
    quiet = segment(shop, {"kind": "no_order_for_days", "value": 90})
    recent = segment(shop, {"kind": "ordered_within_days", "value": 30})
    assert ids(services.members(quiet)) == {book["old"].pk}
    assert ids(services.members(recent)) == {book["big"].pk, book["new"].pk}
    clock.advance(days=91)
    assert ids(services.members(quiet)) == {book["old"].pk, book["big"].pk, book["new"].pk}
    assert ids(services.members(recent)) == set()


def test_tags_and_companies(shop, book, buy):
    big = Customer.objects.get(seller=shop, user=book["big"])
    services.tag_customers(actor=shop.owner, seller=shop, customer_ids=[big.pk], tag="VIP")
    tag = big.tags.get()
    assert ids(services.members(segment(shop, {"kind": "has_tag", "value": tag.pk}))) == {book["big"].pk}
    company = factories.seller_with_owner(kind="buyer_company", name="Jade Trading")
    order = buy(company.owner, price="80.00")
    order.buyer_org = company
    order.save(update_fields=["buyer_org"])
    services.rebuild(seller=shop)
    members = services.members(segment(shop, {"kind": "company_is", "value": "jade trading"}))
    assert list(members.values_list("company_id", flat=True)) == [company.pk]
    assert services.members(segment(shop, {"kind": "has_company"})).count() == 1


def test_member_counts_of_all_segments_in_one_query(shop, book, django_assert_num_queries):
    found = [segment(shop, {"kind": "min_orders", "value": n}) for n in (1, 2, 3)]
    with django_assert_num_queries(1):
        counts = selectors.member_counts(shop.pk, found)
    assert [counts[s.pk] for s in found] == [3, 1, 0]


@pytest.mark.parametrize(
    "rules, field",
    [
        ([], "rules"),
        ([{"kind": "nonsense", "value": 1}], "rules[0].kind"),
        ([{"kind": "min_orders", "value": "two"}], "rules[0].value"),
        ([{"kind": "min_orders", "value": 0}], "rules[0].value"),
        ([{"kind": "spent_over", "value": "-5"}], "rules[0].value"),
        ([{"kind": "city_is", "value": ""}], "rules[0].value"),
        ([{"kind": "has_tag", "value": 999999}], "rules[0].value"),
    ],
)
def test_bad_rules_are_refused_naming_the_rule(shop, rules, field):
    with pytest.raises(ValidationFailed) as exc:
        segment(shop, *rules)
    assert exc.value.field == field


def test_another_sellers_customer_and_segment_are_not_found(shop, book):
    other = factories.seller_with_owner(kind="merchant")
    s = segment(shop, {"kind": "min_orders", "value": 1})
    customer = Customer.objects.filter(seller=shop).first()
    with pytest.raises(NotFound):
        services.segment_of(actor=other.owner, segment_id=s.pk)
    with pytest.raises(NotFound):
        services.customer_of(actor=other.owner, customer_id=customer.pk)
    with pytest.raises(NotFound):  # bulk tag with someone else's customer id
        services.tag_customers(actor=other.owner, seller=other, customer_ids=[customer.pk], tag="x")


def test_only_its_author_deletes_a_note(shop, book):
    colleague = factories.member(shop, "admin")
    customer = Customer.objects.filter(seller=shop).first()
    note = services.add_note(actor=shop.owner, customer_id=customer.pk, text="Prefers green tea")
    with pytest.raises(PermissionDenied) as exc:
        services.delete_note(actor=colleague, note_id=note.pk)
    assert exc.value.code == "note_not_yours"
    services.delete_note(actor=shop.owner, note_id=note.pk)
    assert not customer.notes.exists()


def test_a_role_without_analytics_cannot_see_customers(shop, book):
    support = factories.member(shop, "support")
    customer = Customer.objects.filter(seller=shop).first()
    with pytest.raises(PermissionDenied):
        services.customer_of(actor=support, customer_id=customer.pk)


def test_a_segment_coupon_is_usable_by_a_member_and_refused_to_others(
    shop, book, mailoutbox, django_capture_on_commit_callbacks
):
    s = segment(shop, {"kind": "spent_over", "value": "150"})
    with django_capture_on_commit_callbacks(execute=True):
        campaign = services.send_coupon(
            actor=shop.owner, segment_id=s.pk, data=services.CouponIn(kind="fixed", value=Decimal("5"), valid_days=7)
        )
    assert campaign.recipients_count == 1 and campaign.code
    assert [m.to for m in mailoutbox] == [[book["big"].email]]
    assert campaign.code in mailoutbox[0].body
    product = factories.published_product(seller=shop, title="Longjing", price="30.00")

    def priced(buyer):
        return promotions.price(
            buyer=buyer,
            seller=shop,
            lines=[line(product)],
            shipping=cny(0),
            codes=[campaign.code],
            now=campaign.created_at,
        )

    member = priced(book["big"])
    assert member.discount_total.amount == Decimal("5") and not member.problems
    stranger = priced(book["new"])
    assert stranger.discount_total.amount == 0
    assert [p.reason for p in stranger.problems] == ["not_eligible"]
    assert [p.reason for p in priced(None).problems] == ["not_eligible"]


def test_a_message_reaches_each_member_once_in_their_language(
    shop, book, mailoutbox, django_capture_on_commit_callbacks
):
    book["old"].language = "zh-hans"
    book["old"].save(update_fields=["language"])
    s = segment(shop, {"kind": "min_orders", "value": 1})
    with django_capture_on_commit_callbacks(execute=True):
        campaign = services.send_message(
            actor=shop.owner, segment_id=s.pk, subject="New spring tea", body="Our spring harvest is in."
        )
    assert sorted(m.to[0] for m in mailoutbox) == sorted(u.email for u in book.values())
    chinese = next(m for m in mailoutbox if m.to == [book["old"].email])
    assert "您好" in chinese.body or "你好" in chinese.body
    assert services.deliver(campaign.pk) == 0  # twice: nobody gets it again
    Recipient.objects.filter(campaign=campaign).update(sent_at=None)  # even if the worker lost track
    assert services.deliver(campaign.pk) == 0
    assert len(mailoutbox) == 3
    campaign.refresh_from_db()
    assert (campaign.recipients_count, campaign.sent_count, campaign.sent_by) == (3, 3, shop.owner)


def test_a_big_segment_is_sent_by_the_worker(
    shop, book, mailoutbox, celery_eager, django_capture_on_commit_callbacks, monkeypatch
):
    monkeypatch.setattr(services, "INLINE_LIMIT", 1)
    s = segment(shop, {"kind": "min_orders", "value": 1})
    with django_capture_on_commit_callbacks(execute=True):
        services.send_message(actor=shop.owner, segment_id=s.pk, subject="Hi", body="Hello")
    assert len(mailoutbox) == 3


def test_an_empty_segment_sends_nothing(shop, book):
    s = segment(shop, {"kind": "min_orders", "value": 50})
    with pytest.raises(Conflict) as exc:
        services.send_message(actor=shop.owner, segment_id=s.pk, subject="Hi", body="Hello")
    assert exc.value.code == "empty_segment"
    assert not Campaign.objects.exists()


def test_sending_needs_catalog_manage(shop, book):
    support = factories.member(shop, "finance")
    s = segment(shop, {"kind": "min_orders", "value": 1})
    with pytest.raises(PermissionDenied):
        services.send_message(actor=support, segment_id=s.pk, subject="Hi", body="Hello")
