"""Test data builders. Writes go through the services where the rules live; plain rows otherwise."""

from decimal import Decimal

import factory

from tradeloop.accounts import services as accounts
from tradeloop.accounts.models import Organization, User
from tradeloop.catalog import services as catalog
from tradeloop.catalog.models import Category, Product

PASSWORD = "correct horse battery 9"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.com")
    name = factory.Sequence(lambda n: f"User {n}")

    @factory.post_generation
    def password(self, create, extracted, **kwargs):
        self.set_password(extracted or PASSWORD)
        if create:
            self.save(update_fields=["password"])


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category

    name = factory.Sequence(lambda n: f"Category {n}")
    slug = factory.Sequence(lambda n: f"category-{n}")


def seller_with_owner(
    kind: str = "merchant", name: str | None = None, owner: User | None = None, *, verified: bool = True
) -> Organization:
    """A new organization and its owner; a selling one is verified by the operator unless `verified=False` (an
    unverified seller's payouts are held)."""
    owner = owner or UserFactory()
    org = accounts.create_organization(actor=owner, kind=kind, name=name or f"{kind.title()} {owner.pk}")
    org.owner = owner
    if verified and kind in Organization.SELLING_KINDS:
        verify(org)
    return org


def verify(org: Organization) -> Organization:
    """Record `org` as verified (the operator approved its application)."""
    from tradeloop.trust.services import mark_verified

    mark_verified(org)
    return org


def approved_company(org: Organization, *, terms: str = "net30", credit_limit: str = "1000000.00") -> Organization:
    """Give `org` (a buyer company, or a merchant that restocks) an operator-approved company profile on `terms`
    with `credit_limit` (CNY): it may buy on payment terms."""
    from tradeloop.b2b.models import Company

    Company.objects.create(
        organization=org, state=Company.State.APPROVED, payment_terms=terms, credit_limit=credit_limit, currency="CNY"
    )
    return org


def buying_company(name: str | None = None, **terms) -> Organization:
    """A buyer company the operator approved (see `approved_company`)."""
    return approved_company(seller_with_owner(kind="buyer_company", name=name), **terms)


def member(org: Organization, role: str) -> User:
    """A user who belongs to `org` with `role` (invited and accepted, as in real life)."""
    person = UserFactory()
    _, token = accounts.invite(actor=org.owner, organization=org, email=person.email, role=role)
    accounts.accept_invitation(actor=person, token=token)
    return person


def published_product(
    seller: Organization,
    *,
    title: str = "Fuji apples",
    price: str = "12.50",
    stock: int = 10,
    category: Category | None = None,
    kind: str = "physical",
    variants: int = 1,
) -> Product:
    product = catalog.create_product(
        actor=seller.owner,
        seller=seller,
        title=title,
        kind=kind,
        category=category,
        variants=[
            catalog.VariantInput(sku=f"SKU-{i}", price=Decimal(price) + i, stock=stock, name=f"Option {i}")
            for i in range(variants)
        ],
    )
    return catalog.publish(actor=seller.owner, product=product)


def reprice(seller: Organization, product: Product, price: str) -> None:
    """The product's only variant at a new price, saved by the seller's owner through the console's service."""
    variant = product.variants.get()
    catalog.save_variant(
        actor=seller.owner,
        product=product,
        variant_id=variant.pk,
        data=catalog.VariantInput(sku=variant.sku, price=Decimal(price), stock=variant.stock, name=variant.name),
    )


def promotion(seller: Organization | None = None, **fields):
    """A promotion row (seller None: a platform one). Defaults: 10% off the whole order, automatic, running now."""
    from tradeloop.promotions.models import Promotion

    fields.setdefault("name", fields.get("code") or "10% off")
    fields.setdefault("kind", Promotion.Kind.PERCENT)
    fields.setdefault("value", Decimal("10"))
    categories = fields.pop("categories", ())
    products = fields.pop("products", ())
    promo = Promotion.objects.create(seller=seller, **fields)
    if categories:
        promo.categories.set(categories)
    if products:
        promo.products.set(products)
    from tradeloop.promotions.services import forget_cached

    forget_cached(promo.seller_id)  # product cards and coupon strips read promotions through a short cache
    return promo


def paid_order(
    *,
    seller: Organization | None = None,
    buyer: User | None = None,
    items: list[tuple] | None = None,
    shipping: str = "10.00",
    discount: str = "0",
    return_window_days: int = 7,
    commission_rate: str = "0.05",
    mode: str = "b2c",
):
    """A paid order (default B2C; mode "c2c": its money held in escrow): lines reserve real stock, `orders.services.mark_paid` commits it, records the sale in the
    ledger and sets ship_by; the payment is a captured sandbox payment (so refunds go through the provider).

    `items`: [(variant, quantity), …] of one seller's variants (default: 2 units of a new product of `seller`).
    `discount`: an order-level discount, spread by after-sales over the lines when refunding."""
    import secrets

    from tradeloop.orders import services as orders

    seller = seller or seller_with_owner(kind="merchant")
    buyer = buyer or UserFactory()
    if items is None:
        items = [(published_product(seller=seller, title=f"Tea {secrets.token_hex(3)}").variants.get(), 2)]
    currency = items[0][0].currency
    adjustments = [orders.AdjustmentIn("shipping", "Standard", Decimal(shipping))] if Decimal(shipping) else []
    if Decimal(discount):
        adjustments.append(orders.AdjustmentIn("discount", "Order discount", -Decimal(discount)))
    order = orders.place_order(  # at the given prices; holds the stock like a checkout
        actor=buyer,
        buyer=buyer,
        seller=seller,
        mode=mode,
        currency=currency,
        lines=[
            orders.LineIn(variant, quantity, variant.price, return_window_days=return_window_days)
            for variant, quantity in items
        ],
        adjustments=adjustments,
        commission_rate=Decimal(commission_rate),
        shipping_method="Standard",
        shipping_address={"name": buyer.display_name, "line1": "1 Nanjing Road", "city": "Shanghai"},
    )
    return pay_placed(order)


def pay_placed(order):
    """A placed order paid: a captured sandbox payment (so refunds go through the provider), then mark_paid."""
    import secrets

    from tradeloop.core.money import Money
    from tradeloop.ledger import services as ledger
    from tradeloop.orders import services as orders
    from tradeloop.orders.models import Order
    from tradeloop.payments.models import Payment

    payment = Payment.objects.create(
        token=secrets.token_hex(12),
        payer=order.buyer,
        purpose="test",
        amount=order.total,
        currency=order.currency,
        captured_amount=order.total,
        state=Payment.State.CAPTURED,
    )
    ledger.record_payment_received(payment_id=payment.pk, amount=Money(order.total, order.currency))
    Order.objects.filter(pk=order.pk).update(payment=payment)
    order.payment = payment
    return orders.mark_paid(order=order)


def delivered_order(**kwargs):
    """A paid order shipped in one parcel and delivered (by the seller's manual action)."""
    from tradeloop.fulfilment import services as fulfilment

    order = paid_order(**kwargs)
    owner = order.seller.owner if hasattr(order.seller, "owner") else order.seller.memberships.first().user
    shipment = fulfilment.ship(
        actor=owner, order=order, lines=None, carrier="SF Express", tracking_number=f"SF{order.pk:010d}"
    )
    fulfilment.mark_delivered(actor=owner, shipment_id=shipment.pk)
    order.refresh_from_db()
    return order
