"""Writes the demo content through the services, idempotently: what exists is found again, not duplicated.

People are found by e-mail, organizations by owner + name, products by seller + title, categories by slug;
running `load()` again (or after adding content) only creates what is missing.
"""

from __future__ import annotations

import contextlib
import io
from collections.abc import Callable
from dataclasses import dataclass

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils.text import slugify

from tradeloop.accounts import services as accounts
from tradeloop.accounts.models import Membership, Organization, Role, User
from tradeloop.catalog import services as catalog
from tradeloop.catalog.models import Category, Product
from tradeloop.core import states
from tradeloop.demo import analytics, b2b, c2c, content, insight, o2o, sponsored, trust
from tradeloop.demo.content import Offer, Person, Seller
from tradeloop.demo.pictures import picture

Say = Callable[[str], None]


@dataclass(frozen=True)
class Login:
    who: str
    email: str
    organization: str = ""


@dataclass
class Report:
    created_users: int = 0
    created_organizations: int = 0
    created_products: int = 0

    @property
    def created_anything(self) -> bool:
        return bool(self.created_users or self.created_organizations or self.created_products)


def logins() -> list[Login]:
    """Every demo account, in the order the demo panel lists them (all share content.PASSWORD)."""
    out = [Login("Operator (Django admin)", content.OPERATOR.email, content.OPERATOR_ORG["name"])]
    roles = {
        "merchant": "Merchant",
        "supplier": "Supplier",
        "buyer_company": "Company buyer",
        "personal": "Private seller",
        "local_business": "Local business",
    }
    for seller in content.SELLERS:
        out.append(Login(f"{roles[seller.kind]} owner", seller.owner.email, seller.name))
        out += [Login(f"{roles[seller.kind]} staff ({role})", p.email, seller.name) for p, role in seller.staff]
    out.append(Login("Consumer", content.CONSUMER.email))
    return out


def is_loaded() -> bool:
    return User.objects.filter(email=content.OPERATOR.email).exists()


class _Loader:
    def __init__(self, say: Say):
        self.say = say
        self.report = Report()
        self.categories: dict[str, Category] = {}
        self.looks: dict[str, tuple[tuple[str, str], str]] = {}

    def person(self, who: Person) -> User:
        found = User.objects.filter(email=who.email).first()
        if found:
            return found
        self.report.created_users += 1
        return accounts.sign_up(email=who.email, password=content.PASSWORD, name=who.name, language=who.language)

    def operator(self) -> User:
        admin = self.person(content.OPERATOR)
        if not admin.is_superuser:
            admin.is_staff = admin.is_superuser = True
            admin.save(update_fields=["is_staff", "is_superuser"])
        # accounts.services refuses to create operator organizations (they are not self-service): made here.
        org, created = Organization.objects.get_or_create(
            slug=content.OPERATOR_ORG["slug"],
            defaults={"kind": Organization.Kind.OPERATOR, "name": content.OPERATOR_ORG["name"], "city": "Nanjing"},
        )
        if created:
            Membership.objects.create(user=admin, organization=org, role=Role.objects.get(code="owner"))
            states.record(org, new="created", actor=admin)
            self.report.created_organizations += 1
        return admin

    def category_tree(self) -> None:
        for slug, name, name_zh, parent, colours, motif in content.CATEGORIES:
            found = Category.objects.filter(slug=slug).first()
            if found is None:
                found = catalog.create_category(
                    name=name, slug=slug, name_zh=name_zh, parent=self.categories.get(parent)
                )
            self.categories[slug] = found
            self.looks[slug] = (colours, motif)

    def organization(self, seller: Seller) -> Organization:
        owner = self.person(seller.owner)
        if seller.kind == Organization.Kind.PERSONAL:
            org = owner.memberships.filter(organization__kind=seller.kind).first()
            org = org.organization if org else self.personal_profile(owner, seller)
        else:
            org = Organization.objects.filter(
                name=seller.name, kind=seller.kind, memberships__user=owner, memberships__role__code="owner"
            ).first()
            if org is None:
                org = accounts.create_organization(actor=owner, kind=seller.kind, name=seller.name, **seller.profile)
                self.report.created_organizations += 1
        org.owner = owner
        for who, role in seller.staff:
            self.staff(org, self.person(who), role)
        return org

    def personal_profile(self, owner: User, seller: Seller) -> Organization:
        org = accounts.personal_seller_profile(actor=owner)
        self.report.created_organizations += 1
        return accounts.update_organization(actor=owner, organization=org, name=seller.name, **seller.profile)

    def staff(self, org: Organization, person: User, role: str) -> None:
        if org.memberships.filter(user=person).exists():
            return
        with contextlib.redirect_stdout(io.StringIO()):  # the console mail backend would print the invitation
            _, token = accounts.invite(actor=org.owner, organization=org, email=person.email, role=role)
        accounts.accept_invitation(actor=person, token=token)

    def offer(self, org: Organization, offer: Offer) -> None:
        existing = org.products.filter(title=offer.title).first()
        if existing is not None:
            if not existing.title_zh:  # loaded before products had Chinese content
                catalog.update_product(actor=org.owner, product=existing, **_chinese(offer))
            return
        product = catalog.create_product(
            actor=org.owner,
            seller=org,
            title=offer.title,
            description=offer.description,
            kind=offer.kind,
            condition=offer.condition,
            category=self.categories[offer.category],
            attributes=offer.attributes,
            is_featured=offer.featured,
            variants=[
                catalog.VariantInput(
                    sku=sku,
                    name=name,
                    name_zh=content.VARIANT_NAMES_ZH.get(name, ""),
                    price=price,
                    compare_at_price=compare_at,
                    stock=stock,
                    options=options,
                )
                for sku, name, price, compare_at, stock, options in offer.variants
            ],
            **_chinese(offer),
        )
        colours, motif = self.looks[offer.category]
        jpeg = picture(offer.short, colours=colours, motif=motif, accent=offer.colour)
        upload = SimpleUploadedFile(f"{slugify(offer.short) or 'product'}.jpg", jpeg, content_type="image/jpeg")
        catalog.add_image(actor=org.owner, product=product, upload=upload)  # alt: the title, in the language read
        catalog.publish(actor=org.owner, product=product)
        self.report.created_products += 1


def _chinese(offer: Offer) -> dict:
    return {"title_zh": offer.title_zh, "description_zh": offer.description_zh, "attributes_zh": offer.attributes_zh}


@transaction.atomic
def load(say: Say | None = None) -> Report:
    """Create whatever part of the demo content is missing; returns what was created."""
    loader = _Loader(say or (lambda _message: None))
    loader.say("operator and categories")
    operator = loader.operator()
    loader.category_tree()
    orgs = {}
    for seller in content.SELLERS:
        loader.say(seller.name)
        orgs[seller.name] = org = loader.organization(seller)
        for offer in seller.offers:
            loader.offer(org, offer)
    loader.person(content.CONSUMER)
    loader.say("B2B: company terms, price lists, an RFQ thread, an invoice")
    b2b.load(
        operator=operator,
        supplier=orgs[content.HENGSHENG.name],
        buyer_org=orgs[content.LIANCHUANG.name],
        purchaser_email=content.LIANCHUANG.staff[0][0].email,
    )
    loader.say("C2C: listings, an offer thread, escrow, a dispute, ratings")
    c2c.load(sellers=[orgs[content.LI_NA.name], orgs[content.ZHOU_MING.name]], buyer=loader.person(content.CONSUMER))
    loader.say("O2O: places, deals, vouchers redeemed and reviewed, a booking, a consumer request")
    o2o.load(
        salon=orgs[content.SALON.name],
        housekeeping=orgs[content.HOUSEKEEPING.name],
        buyer=loader.person(content.CONSUMER),
        neighbours=[loader.person(person) for person in content.NEIGHBOURS],
    )
    loader.say("Insight: delivered fruit orders, a review with its reply, a planned suggestion, tagged regulars")
    insight.load(
        shop=orgs[content.WANG.name],
        buyer=loader.person(content.CONSUMER),
        neighbours=[loader.person(person) for person in content.NEIGHBOURS],
    )
    loader.say("Trust: every seller verified but one private seller, whose payout waits")
    trust.load(operator=operator, orgs=list(orgs.values()))
    analytics.load(list(orgs.values()))  # a month of visits and the sales rollups (demo/analytics.py)
    loader.say("Sponsored: a running campaign of the hair studio, its wallet, a week of impressions and clicks")
    sponsored.load(salon=orgs[content.SALON.name])
    return loader.report


def product_count() -> int:
    return Product.objects.count()
