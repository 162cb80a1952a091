"""The negotiation engine: numbered immutable versions, turns, acceptance through the mode's hook, expiry."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from tests import factories
from tests.negotiation.conftest import draft
from tradeloop.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from tradeloop.core.states import history
from tradeloop.negotiation import policies, selectors, signals
from tradeloop.negotiation import services as negotiation
from tradeloop.negotiation.models import ImmutableError, Negotiation, Proposal, ProposalLine

pytestmark = pytest.mark.django_db
State = Negotiation.State


def counter(actor, n, version, **kw):
    return negotiation.counter(actor=actor, negotiation=n, version=version, draft=draft(**kw))


def code_of(excinfo) -> str:
    return excinfo.value.code


# --- versions ---------------------------------------------------------------------------------------------------


def test_versions_are_numbered_and_immutable(quote, buyer, supplier, variant):
    v2 = counter(buyer, quote, 1, variant=variant, quantity=20, price="16.00")
    v3 = counter(supplier.owner, quote, 2, variant=variant, quantity=20, price="17.00")
    quote.refresh_from_db()
    assert [p.number for p in quote.proposals.all()] == [1, 2, 3]
    assert (v2.author_side, v3.author_side, quote.current_version) == ("buyer", "seller", 3)
    assert v3.lines.get().unit_price == Decimal("17.00") and v3.total() == Decimal("340.00")
    v2.note = "changed"
    with pytest.raises(ImmutableError):
        v2.save()
    with pytest.raises(ImmutableError):
        v2.delete()
    with pytest.raises(ImmutableError):
        line = v2.lines.get()
        line.quantity = 1
        line.save()
    assert [e.reason for e in history(quote).order_by("id")] == [
        "opened by seller",
        "v1 by seller",
        "v2 by buyer",
        "v3 by seller",
    ]


def test_database_refuses_a_duplicate_number_and_bad_lines(quote):
    v1 = quote.proposals.get()
    with pytest.raises(IntegrityError), transaction.atomic():
        Proposal.objects.create(
            negotiation=quote, number=1, author_side="buyer", author=quote.buyer, valid_until=v1.valid_until
        )
    for bad in ({"quantity": 0}, {"unit_price": Decimal("-1")}, {"discount": Decimal("1000")}):
        fields = {"quantity": 1, "unit_price": Decimal("2"), "discount": Decimal(0), **bad}
        with pytest.raises(IntegrityError), transaction.atomic():
            ProposalLine.objects.create(proposal=v1, position=9, description="x", **fields)


@pytest.mark.parametrize(
    ("line", "field"),
    [
        ({"quantity": 0}, "lines.0.quantity"),
        ({"unit_price": Decimal("-1")}, "lines.0.unit_price"),
        ({"discount": Decimal("999")}, "lines.0.discount"),
        ({"variant": None}, "lines.0.description"),
    ],
)
def test_bad_lines_are_refused_naming_the_field(quote, buyer, variant, line, field):
    fields = {"quantity": 1, "unit_price": Decimal("2"), "variant": variant, **line}
    with pytest.raises(ValidationFailed) as e:
        negotiation.counter(
            actor=buyer, negotiation=quote, version=1, draft=negotiation.Draft(lines=[negotiation.LineDraft(**fields)])
        )
    assert e.value.field == field
    assert Negotiation.objects.get(pk=quote.pk).current_version == 1


def test_a_free_text_line_and_another_sellers_sku(quote, buyer, variant):
    other = factories.published_product(seller=factories.seller_with_owner(), title="Other").variants.get()
    with pytest.raises(ValidationFailed) as e:
        counter(buyer, quote, 1, variant=other)
    assert e.value.field == "lines.0.variant"
    v2 = negotiation.counter(
        actor=buyer,
        negotiation=quote,
        version=1,
        draft=negotiation.Draft(
            lines=[negotiation.LineDraft(quantity=3, unit_price=Decimal("5"), description=" Custom cable ")]
        ),
    )
    assert v2.lines.get().description == "Custom cable" and v2.lines.get().variant is None


def test_a_kind_without_a_policy_cannot_be_opened(supplier, buyer, variant):
    before = policies.register("request", policies.Policy())  # o2o registers consumer requests' policy: take it out
    policies.unregister("request")
    try:
        with pytest.raises(ValidationFailed) as e:
            negotiation.open_negotiation(
                actor=buyer, kind="request", side="buyer", seller=supplier, currency="CNY", draft=draft(variant)
            )
    finally:
        policies.register("request", before)
    assert code_of(e) == "no_policy" and not Negotiation.objects.exists()


def test_a_buyer_opens_an_offer(fake, supplier, buyer, variant):
    offer = negotiation.open_negotiation(
        actor=buyer, kind="offer", side="buyer", seller=supplier, currency="CNY", draft=draft(variant, price="15.00")
    )
    assert (offer.buyer, offer.proposals.get().author_side) == (buyer, "buyer")
    negotiation.accept(actor=supplier.owner, negotiation=offer, version=1)
    assert Negotiation.objects.get(pk=offer.pk).state == State.ACCEPTED


def test_only_a_member_who_may_sell_opens_for_the_seller(fake, supplier, buyer, variant):
    kwargs = {
        "kind": "quote",
        "side": "seller",
        "seller": supplier,
        "buyer": buyer,
        "currency": "CNY",
        "draft": draft(variant),
    }
    with pytest.raises(NotFound):
        negotiation.open_negotiation(actor=factories.UserFactory(), **kwargs)
    with pytest.raises(PermissionDenied):
        negotiation.open_negotiation(actor=factories.member(supplier, "catalog"), **kwargs)
    with pytest.raises(ValidationFailed):  # nobody negotiates with their own organization
        negotiation.open_negotiation(**{**kwargs, "side": "buyer"}, actor=supplier.owner)


# --- turns ------------------------------------------------------------------------------------------------------


def test_only_the_other_side_may_counter(quote, buyer, supplier, variant):
    with pytest.raises(Conflict) as e:
        counter(supplier.owner, quote, 1, variant=variant)
    assert code_of(e) == "not_your_turn"
    with pytest.raises(NotFound):
        counter(factories.UserFactory(), quote, 1, variant=variant)
    with pytest.raises(PermissionDenied):  # support may read the thread, not negotiate
        counter(factories.member(supplier, "support"), quote, 1, variant=variant)
    counter(buyer, quote, 1, variant=variant)
    counter(factories.member(supplier, "admin"), quote, 2, variant=variant, price="17.50")


def test_a_counter_on_a_superseded_version_is_refused(quote, buyer, supplier, variant):
    counter(buyer, quote, 1, variant=variant, price="15.00")
    with pytest.raises(Conflict) as e:
        counter(supplier.owner, quote, 1, variant=variant)
    assert code_of(e) == "superseded"
    with pytest.raises(NotFound):
        counter(supplier.owner, quote, 7, variant=variant)


def test_a_buying_organizations_purchaser_negotiates_for_it(fake, supplier, variant):
    company = factories.seller_with_owner(kind="buyer_company")
    purchaser = factories.member(company, "buyer")
    offer = negotiation.open_negotiation(
        actor=purchaser,
        kind="quote",
        side="buyer",
        seller=supplier,
        buyer_org=company,
        currency="CNY",
        draft=draft(variant),
    )
    v2 = counter(supplier.owner, offer, 1, variant=variant, price="19.00")
    negotiation.accept(actor=company.owner, negotiation=offer, version=v2.number)  # another member accepts for it
    assert Negotiation.objects.get(pk=offer.pk).state == State.ACCEPTED
    with pytest.raises(NotFound):  # buying for an organization one does not belong to
        negotiation.open_negotiation(
            actor=factories.UserFactory(),
            kind="quote",
            side="buyer",
            seller=supplier,
            buyer_org=company,
            currency="CNY",
            draft=draft(variant),
        )


# --- the mode's rules -------------------------------------------------------------------------------------------


def test_max_rounds_and_the_counter_cap(fake, quote, buyer, supplier, variant):
    policies.register("quote", fake.policy(max_rounds=2))
    capped = negotiation.open_negotiation(
        actor=supplier.owner,
        kind="quote",
        side="seller",
        seller=supplier,
        buyer=buyer,
        currency="CNY",
        counter_cap=Decimal("150.00"),
        draft=draft(variant, quantity=5, price="25.00"),
    )
    assert capped.max_rounds == 2
    with pytest.raises(ValidationFailed) as e:
        counter(buyer, capped, 1, variant=variant, quantity=10, price="15.01")
    assert code_of(e) == "over_cap"
    counter(buyer, capped, 1, variant=variant, quantity=10, price="15.00")
    with pytest.raises(Conflict) as e:
        counter(supplier.owner, capped, 2, variant=variant)
    assert code_of(e) == "too_many_rounds"
    assert quote.max_rounds is None  # a snapshot: the negotiation opened earlier keeps its rules
    counter(buyer, quote, 1, variant=variant)


def test_the_policy_may_refuse_a_counter(fake, quote, buyer, variant):
    def no_low_balls(n, d, side):
        if side == "buyer" and d.goods_total() < 100:
            raise ValidationFailed("too low", field="lines")

    policies.register("quote", fake.policy(check_counter=no_low_balls))
    with pytest.raises(ValidationFailed, match="too low"):
        counter(buyer, quote, 1, variant=variant, price="9.99")
    assert counter(buyer, quote, 1, variant=variant, price="10.00").number == 2


# --- acceptance -------------------------------------------------------------------------------------------------


def test_accept_calls_the_modes_hook_once(fake, quote, buyer, supplier):
    with pytest.raises(Conflict) as e:
        negotiation.accept(actor=supplier.owner, negotiation=quote, version=1)
    assert code_of(e) == "not_your_turn"
    done = negotiation.accept(actor=buyer, negotiation=quote, version=1)
    assert (done.state, done.accepted_version, done.result_ref) == (State.ACCEPTED, 1, f"fake:{quote.pk}")
    assert fake.accepted == [(quote.pk, 1, buyer.pk)] and done.decided_at is not None
    with pytest.raises(Conflict) as e:
        negotiation.accept(actor=buyer, negotiation=quote, version=1)
    assert code_of(e) == "already_accepted"
    with pytest.raises(Conflict) as e:
        counter(buyer, quote, 1, variant=None)
    assert code_of(e) == "already_accepted"
    assert len(fake.accepted) == 1


def test_accept_with_an_idempotency_key_replays(fake, quote, buyer):
    first = negotiation.accept(actor=buyer, negotiation=quote, version=1, key="k-1")
    again = negotiation.accept(actor=buyer, negotiation=quote, version=1, key="k-1")
    assert first.pk == again.pk and again.state == State.ACCEPTED and len(fake.accepted) == 1
    with pytest.raises(Conflict) as e:
        negotiation.accept(actor=buyer, negotiation=quote, version=2, key="k-1")
    assert code_of(e) == "idempotency_mismatch"


def test_a_superseded_version_cannot_be_accepted(quote, buyer, supplier, variant):
    counter(buyer, quote, 1, variant=variant, price="15.00")
    counter(supplier.owner, quote, 2, variant=variant, price="16.50")
    with pytest.raises(Conflict) as e:
        negotiation.accept(actor=buyer, negotiation=quote, version=2)
    assert code_of(e) == "superseded"
    assert negotiation.accept(actor=buyer, negotiation=quote, version=3).accepted_version == 3


def test_a_failing_hook_accepts_nothing(fake, quote, buyer):
    def broken(n, p, actor):
        raise Conflict("out of stock", code="out_of_stock")

    policies.register("quote", fake.policy(on_accept=broken))
    with pytest.raises(Conflict):
        negotiation.accept(actor=buyer, negotiation=quote, version=1, key="k")
    quote.refresh_from_db()
    assert (quote.state, quote.accepted_version) == (State.OPEN, None)


def test_acceptance_places_an_order_at_exactly_the_agreed_prices(fake, quote, buyer, supplier, variant):
    """How a mode's on_accept uses orders' placing service (B2C here: the only mode orders can place today)."""
    from tradeloop.orders import services as orders
    from tradeloop.orders.models import Order

    def place(n, proposal, actor):
        lines = [orders.LineIn(x.variant, x.quantity, x.unit_price, x.discount) for x in proposal.lines.all()]
        shipping = [orders.AdjustmentIn("shipping", "Agreed shipping", proposal.shipping)] if proposal.shipping else []
        order = orders.place_order(
            actor=actor,
            buyer=n.buyer,
            seller=n.seller,
            mode=Order.Mode.B2C,
            currency=n.currency,
            lines=lines,
            adjustments=shipping,
            note=f"{n.kind} {n.pk} v{proposal.number}",
        )
        return order.number

    policies.register("quote", fake.policy(on_accept=place))
    counter(buyer, quote, 1, variant=variant, quantity=12, price="16.25")
    variant.price = Decimal("30.00")  # the list price changes meanwhile
    variant.save(update_fields=["price"])
    done = negotiation.accept(actor=supplier.owner, negotiation=quote, version=2)
    order = Order.objects.get(number=done.result_ref)
    line = order.lines.get()
    assert (line.quantity, line.unit_price) == (12, Decimal("16.25"))
    assert order.total == Decimal("195.00")  # 12 × 16.25; v2 kept no shipping


# --- decline and withdraw ---------------------------------------------------------------------------------------


def test_decline_and_withdraw_take_turns(fake, quote, buyer, supplier, variant):
    with pytest.raises(Conflict):
        negotiation.decline(actor=supplier.owner, negotiation=quote)
    with pytest.raises(Conflict):
        negotiation.withdraw(actor=buyer, negotiation=quote)
    assert negotiation.decline(actor=buyer, negotiation=quote, reason="too dear").state == State.DECLINED
    with pytest.raises(Conflict) as e:
        negotiation.accept(actor=buyer, negotiation=quote, version=1)
    assert code_of(e) == "closed"
    other = negotiation.open_negotiation(
        actor=supplier.owner,
        kind="quote",
        side="seller",
        seller=supplier,
        buyer=buyer,
        currency="CNY",
        draft=draft(variant),
    )
    assert negotiation.withdraw(actor=supplier.owner, negotiation=other, version=1).state == State.WITHDRAWN


# --- time -------------------------------------------------------------------------------------------------------


def test_expiry_by_the_clock(quote, buyer, clock):
    clock.advance(days=29, hours=23)
    assert negotiation.sweep_expired(clock.now()) == 0
    clock.advance(hours=1)
    with pytest.raises(Conflict) as e:  # refused at once, before the sweep has run
        negotiation.accept(actor=buyer, negotiation=quote, version=1)
    assert code_of(e) == "expired"
    assert negotiation.sweep_expired(clock.now()) == 1
    assert negotiation.sweep_expired(clock.now()) == 0
    quote.refresh_from_db()
    assert quote.state == State.EXPIRED and history(quote).latest("id").reason == "v1 expired"
    with pytest.raises(Conflict) as e:
        negotiation.accept(actor=buyer, negotiation=quote, version=1)
    assert code_of(e) == "expired"


def test_a_counter_renews_the_validity(quote, buyer, supplier, variant, clock):
    clock.advance(days=20)
    counter(buyer, quote, 1, variant=variant, valid_until=clock.now() + timedelta(days=2))
    with pytest.raises(ValidationFailed) as e:
        counter(supplier.owner, quote, 2, variant=variant, valid_until=clock.now())
    assert e.value.field == "valid_until"
    clock.advance(days=1)
    assert negotiation.sweep_expired(clock.now()) == 0
    clock.advance(days=1)
    assert negotiation.sweep_expired(clock.now()) == 1  # v2's two days are over, long before v1's thirty


def test_one_reminder_per_version_a_day_before(quote, buyer, supplier, variant, clock):
    got = []

    def receiver(sender, negotiation, version, **kw):
        got.append((negotiation.pk, version.number))

    signals.expiring_soon.connect(receiver)
    try:
        clock.advance(days=28, hours=23)
        assert negotiation.sweep_expiry_reminders(clock.now()) == 0
        clock.advance(hours=2)
        assert negotiation.sweep_expiry_reminders(clock.now()) == 1
        assert negotiation.sweep_expiry_reminders(clock.now()) == 0
        counter(buyer, quote, 1, variant=variant, valid_until=clock.now() + timedelta(hours=30))
        assert negotiation.sweep_expiry_reminders(clock.now()) == 0
        clock.advance(hours=7)
        assert negotiation.sweep_expiry_reminders(clock.now()) == 1
        clock.advance(hours=30)
        assert negotiation.sweep_expiry_reminders(clock.now()) == 0  # expired: no reminder after the fact
    finally:
        signals.expiring_soon.disconnect(receiver)
    assert got == [(quote.pk, 1), (quote.pk, 2)]


def test_beat_runs_the_sweeps(quote, clock):
    from tradeloop.celery import app

    app.loader.import_default_modules()

    def run(entry):
        return app.tasks[app.conf.beat_schedule[entry]["task"]].apply().get()

    assert run("remind-expiring-negotiations") == 0 and run("expire-negotiations") == 0
    clock.advance(days=29, hours=1)
    assert run("remind-expiring-negotiations") == 1
    clock.advance(days=1)
    assert run("expire-negotiations") == 1 and run("expire-negotiations") == 0


# --- reads ------------------------------------------------------------------------------------------------------


def test_diff_between_versions(quote, buyer, supplier, variant):
    extra = factories.published_product(seller=supplier, title="Reference", price="3.00").variants.get()
    v1 = quote.proposals.get()
    v2 = negotiation.counter(
        actor=buyer,
        negotiation=quote,
        version=1,
        draft=negotiation.Draft(
            lines=[
                negotiation.LineDraft(quantity=20, unit_price=Decimal("16.00"), variant=variant),
                negotiation.LineDraft(quantity=2, unit_price=Decimal("3.00"), variant=extra),
            ],
            payment_terms="net60",
            valid_until=v1.valid_until,
            note="Bigger order",
        ),
    )
    changes = selectors.diff(v1, v2)
    assert changes["from"] == 1 and changes["to"] == 2
    assert changes["lines"][0] == {
        "key": f"variant:{variant.pk}",
        "change": "changed",
        "description": variant.sku,
        "variant_id": variant.pk,
        "quantity": {"old": 10, "new": 20},
        "unit_price": {"old": Decimal("18.0000"), "new": Decimal("16.0000")},
    }
    assert changes["lines"][1]["change"] == "added" and changes["lines"][1]["quantity"] == 2
    assert changes["shipping"] == {"old": Decimal("5.0000"), "new": Decimal("0.0000")}
    assert changes["payment_terms"] == {"old": "net30", "new": "net60"}
    assert "valid_until" not in changes and changes["note"]["new"] == "Bigger order"
    assert [c["change"] for c in selectors.diff(v2, v1)["lines"]] == ["changed", "removed"]
    assert selectors.diff(v1, v1) == {"from": 1, "to": 1, "lines": []}


def test_thread_and_lists_are_scoped_to_the_sides(quote, buyer, supplier, variant, fake):
    stranger_org = factories.seller_with_owner(kind="supplier")
    with pytest.raises(NotFound):
        selectors.thread(stranger_org.owner, quote.pk)
    with pytest.raises(NotFound):
        selectors.thread(factories.member(supplier, "catalog"), quote.pk)  # may not even read orders
    assert list(selectors.negotiations_of(stranger_org.owner)) == []
    assert [n.pk for n in selectors.negotiations_of(factories.member(supplier, "support"))] == [quote.pk]
    assert [n.pk for n in selectors.negotiations_of(buyer, side="buyer")] == [quote.pk]
    assert list(selectors.negotiations_of(buyer, side="seller")) == []
    with pytest.raises(NotFound):
        negotiation.accept(actor=stranger_org.owner, negotiation=quote, version=1)
    counter(buyer, quote, 1, variant=variant)
    found = selectors.thread(supplier.owner, quote.pk)
    assert [v.number for v in found.versions] == [1, 2] and found.versions[1].lines.all()[0].variant == variant


def test_the_list_costs_the_same_queries_however_long(quote, buyer, supplier, variant, django_assert_max_num_queries):
    def read():
        return [
            (
                n.seller.name,
                n.buyer.email,
                [(v.author.email, [line.variant.sku for line in v.lines.all()]) for v in n.versions],
            )
            for n in selectors.negotiations_of(supplier.owner)
        ]

    with django_assert_max_num_queries(6) as one:
        read()
    for _ in range(4):
        n = negotiation.open_negotiation(
            actor=supplier.owner,
            kind="quote",
            side="seller",
            seller=supplier,
            buyer=factories.UserFactory(),
            currency="CNY",
            draft=draft(variant),
        )
        counter(n.buyer, n, 1, variant=variant)
    with django_assert_max_num_queries(len(one.captured_queries)):
        assert len(read()) == 5


def test_signed_out_people_are_asked_to_sign_in(quote, variant):
    from django.contrib.auth.models import AnonymousUser

    from tradeloop.core.errors import NotAuthenticated

    nobody = AnonymousUser()
    for attempt in (
        lambda: selectors.negotiations_of(nobody),
        lambda: selectors.thread(nobody, quote.pk),
        lambda: negotiation.accept(actor=nobody, negotiation=quote, version=1, key="k"),
        lambda: counter(nobody, quote, 1, variant=variant),
    ):
        with pytest.raises(NotAuthenticated):
            attempt()
