"""Reads of RFQs and quotes, scoped to the actor: the buyer's side (the author, or a member of the buying
organization whose role may buy or see orders) or a supplier the RFQ is for (direct, or open in a category where
it sells, or one that has quoted on it). Anyone else's RFQ does not exist for them (404). Lists use a fixed number
of queries however long they are."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils.translation import gettext

from tradeloop.accounts.models import Organization, User
from tradeloop.accounts.selectors import memberships_of
from tradeloop.b2b.models import Rfq, RfqQuote
from tradeloop.catalog.models import Product
from tradeloop.core.errors import NotFound
from tradeloop.core.pagination import Page, keyset_page
from tradeloop.negotiation import selectors as engine_selectors
from tradeloop.negotiation.models import Negotiation, Proposal, ProposalLine
from tradeloop.negotiation.selectors import signed_in

BUYER_CAPABILITIES = ("purchasing", "orders.view")
ORDER = ("-created_at", "-id")


def buying_org_ids(actor: User) -> set[int]:
    return {m.organization_id for m in memberships_of(actor) if any(m.role.grants(c) for c in BUYER_CAPABILITIES)}


def category_prefixes(supplier: Organization | int) -> set[str]:
    """Every category path above or at a category the supplier sells published goods in (one query)."""
    supplier_id = getattr(supplier, "pk", supplier)
    paths = (
        Product.objects.published()
        .filter(seller_id=supplier_id, category__isnull=False)
        .values_list("category__path", flat=True)
        .distinct()
    )
    prefixes: set[str] = set()
    for path in paths:
        parts = path.strip("/").split("/")
        prefixes.update("/".join(parts[: i + 1]) + "/" for i in range(len(parts)))
    return prefixes


def supplier_scope(supplier: Organization | int, prefixes: set[str]) -> Q:
    supplier_id = getattr(supplier, "pk", supplier)
    return (
        Q(supplier_id=supplier_id)
        | Q(supplier__isnull=True, category__path__in=prefixes)
        | Q(quotes__supplier_id=supplier_id)
    )


def may_quote(supplier: Organization, rfq: Rfq) -> bool:
    """Direct to this supplier, or open in a category it sells in; never the buyer's own organization."""
    if rfq.buyer_org_id == supplier.pk or not supplier.sells:
        return False
    if rfq.supplier_id is not None:
        return rfq.supplier_id == supplier.pk
    return rfq.category.path in category_prefixes(supplier)


def _lines_and_files(qs: QuerySet[Rfq]) -> QuerySet[Rfq]:
    return qs.select_related("buyer", "buyer_org", "supplier", "category").prefetch_related(
        "lines__variant__product", "attachments"
    )


def buyer_rfqs(actor: User, *, state: str | None = None, cursor: str | None = None, limit: int = 24) -> Page:
    """The RFQs of the actor's buying organizations (and its own), newest first."""
    signed_in(actor)
    qs = Rfq.objects.filter(Q(buyer=actor) | Q(buyer_org_id__in=buying_org_ids(actor)))
    if state:
        qs = qs.filter(state=state)
    return keyset_page(_lines_and_files(qs), order=ORDER, cursor=cursor, limit=limit)


def _quotes_prefetch(supplier_id: int | None = None) -> Prefetch:
    qs = RfqQuote.objects.select_related("supplier", "negotiation")
    if supplier_id is not None:
        qs = qs.filter(supplier_id=supplier_id)
    return Prefetch(
        "quotes",
        queryset=qs.prefetch_related(
            Prefetch(
                "negotiation__proposals",
                queryset=Proposal.objects.prefetch_related(
                    Prefetch("lines", queryset=ProposalLine.objects.select_related("variant"))
                ),
                to_attr="versions",
            )
        ),
        to_attr="quote_links",
    )


def rfq_for_buyer(actor: User, rfq_id: int) -> Rfq:
    """One RFQ of the buyer's side with its lines, files and every supplier's quote (versions and lines)."""
    signed_in(actor)
    found = (
        _lines_and_files(Rfq.objects.filter(Q(buyer=actor) | Q(buyer_org_id__in=buying_org_ids(actor))))
        .prefetch_related(_quotes_prefetch())
        .filter(pk=rfq_id)
        .first()
    )
    if found is None:
        raise NotFound(gettext("RFQ not found"), field="rfq")
    return found


INBOX_TABS = ("new", "quoted", "all")


def supplier_inbox(
    actor: User, supplier: Organization, *, tab: str = "new", cursor: str | None = None, limit: int = 24
) -> Page:
    """The RFQs a supplier may answer or has answered: direct ones and open ones in its categories.

    `new`: open, not yet quoted by it; `quoted`: those it quoted on (with `my_quote_id`); `all`: both and closed ones.
    """
    signed_in(actor)
    mine = RfqQuote.objects.filter(rfq=OuterRef("pk"), supplier=supplier)
    qs = (
        Rfq.objects.filter(supplier_scope(supplier, category_prefixes(supplier)))
        .exclude(buyer_org=supplier)
        .distinct()
        .annotate(my_quote_id=Subquery(mine.values("negotiation_id")[:1]), quoted=Exists(mine))
    )
    if tab == "new":
        qs = qs.filter(state=Rfq.State.OPEN, quoted=False)
    elif tab == "quoted":
        qs = qs.filter(quoted=True)
    return keyset_page(_lines_and_files(qs), order=ORDER, cursor=cursor, limit=limit)


def rfq_for_supplier(actor: User, supplier: Organization, rfq_id: int) -> Rfq:
    """One RFQ a supplier may see, with its own quote only (`quote_links`)."""
    signed_in(actor)
    found = (
        _lines_and_files(Rfq.objects.filter(supplier_scope(supplier, category_prefixes(supplier))))
        .exclude(buyer_org=supplier)
        .distinct()
        .prefetch_related(_quotes_prefetch(supplier.pk))
        .filter(pk=rfq_id)
        .first()
    )
    if found is None:
        raise NotFound(gettext("RFQ not found"), field="rfq")
    return found


def quote_thread(actor: User, quote_id: int) -> Negotiation:
    """A quote (negotiation of kind quote tied to an RFQ) with all its versions; 404 for anyone not a party."""
    found = engine_selectors.thread(actor, quote_id)
    if found.kind != Negotiation.Kind.QUOTE:
        raise NotFound(gettext("quote not found"), field="quote")
    link = RfqQuote.objects.select_related("rfq").filter(negotiation=found).first()
    if link is None:
        raise NotFound(gettext("quote not found"), field="quote")
    found.rfq = link.rfq
    return found


def versions_with_changes(negotiation: Negotiation) -> list[tuple[Proposal, dict | None]]:
    """Each version (oldest first) with what changed from the one before (None for v1)."""
    versions = negotiation.versions
    return [(v, engine_selectors.diff(versions[i - 1], v) if i else None) for i, v in enumerate(versions)]


def quotes_of(actor: User, *, side: str | None = None, cursor: str | None = None, limit: int = 24) -> Page:
    """The actor's quotes (newest first) with versions: the buyer's (`side="buyer"`) or a supplier's."""
    qs = engine_selectors.negotiations_of(actor, side=side, kind=Negotiation.Kind.QUOTE)
    return keyset_page(qs, order=ORDER, cursor=cursor, limit=limit)
