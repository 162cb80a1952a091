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


def seller_with_owner(kind: str = "merchant", name: str | None = None, owner: User | None = None) -> Organization:
    owner = owner or UserFactory()
    org = accounts.create_organization(actor=owner, kind=kind, name=name or f"{kind.title()} {owner.pk}")
    org.owner = owner
    return org


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
    return promo
