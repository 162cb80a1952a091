"""Seller console pages. Views parse, call a service or selector, and shape; the rules live in the services.

URLs carry the organization: /console/<org_id>/... (the session remembers the last one for /console/).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from tradeloop.accounts import selectors as accounts_selectors
from tradeloop.accounts import services as accounts_services
from tradeloop.accounts.console_access import Console, console_page, remembered, selling_memberships
from tradeloop.catalog import selectors as catalog_selectors
from tradeloop.catalog import services as catalog_services
from tradeloop.catalog.models import Product
from tradeloop.console.charts import horizontal_bars
from tradeloop.console.forms import (
    BulkStatusForm,
    ImageUploadForm,
    InviteForm,
    OrganizationForm,
    ProductFilterForm,
    ProductForm,
    RoleForm,
    VariantForm,
    VariantFormSet,
)
from tradeloop.console.product_editor import ProductEditor, attach_error, sentence
from tradeloop.core.errors import DomainError, NotFound, ValidationFailed
from tradeloop.inventory import selectors as inventory_selectors

PRODUCTS_PER_PAGE = 25
CATALOG = "console:products"
TEAM = "console:team"


def _int_or_none(value) -> int | None:
    return int(value) if str(value or "").isdigit() else None


def _safe_next(request: HttpRequest, default: str) -> str:
    wanted = request.POST.get("next", "")
    if wanted.startswith(default) and url_has_allowed_host_and_scheme(wanted, {request.get_host()}):
        return wanted
    return default


# ---------- home & dashboard ----------


@login_required
def home(request: HttpRequest) -> HttpResponse:
    memberships = selling_memberships(request.user)
    if not memberships:
        return render(request, "console/no_organization.html")
    mine = {m.organization_id for m in memberships}
    wanted = _int_or_none(request.GET.get("org")) or remembered(request)
    if wanted in mine:
        return redirect("console:dashboard", wanted)
    if len(memberships) == 1:
        return redirect("console:dashboard", memberships[0].organization_id)
    return render(request, "console/choose_organization.html", {"memberships": memberships})


STATUS_TILES = (Product.Status.PUBLISHED, Product.Status.DRAFT, Product.Status.UNPUBLISHED)


@console_page()
def dashboard(request: HttpRequest, console: Console) -> HttpResponse:
    actor, org = request.user, console.organization
    context = {
        "team_size": accounts_selectors.members(actor, org).count(),
        "low_stock_limit": catalog_selectors.LOW_STOCK,
    }
    if console.can("catalog.manage"):
        overview = catalog_selectors.seller_catalog_overview(actor=actor, seller=org)
        uncategorised = gettext("Uncategorised")
        context |= {
            "overview": overview,
            "status_tiles": [(s.label, overview.products_by_status[s], s.value) for s in STATUS_TILES],
            "category_chart": horizontal_bars(
                [(label or uncategorised, n) for label, n in overview.products_per_category]
            ),
            "stock_chart": horizontal_bars(overview.stock_by_product),
            "stock_alerts": inventory_selectors.low_stock_count(actor=actor, seller=org),
        }
    if console.can("team.manage"):
        context["pending_invitations"] = accounts_selectors.pending_invitations(actor, org).count()
    return console.render(request, "console/dashboard.html", context)


# ---------- catalog ----------


@dataclass(frozen=True)
class ProductRow:
    product: Product
    units: int

    @property
    def stock_state(self) -> str:
        if self.units <= 0:
            return "out"
        return "low" if self.units <= catalog_selectors.LOW_STOCK else "ok"

    @property
    def status_badge(self) -> str:
        return STATUS_BADGES[self.product.status]


STATUS_BADGES = {
    Product.Status.PUBLISHED: "badge-success",
    Product.Status.DRAFT: "badge-muted",
    Product.Status.UNPUBLISHED: "badge-warning",
}


def _product_page(request: HttpRequest, console: Console, *, status: str, q: str, cursor: str | None):
    try:
        return catalog_selectors.seller_products(
            actor=request.user, seller=console.organization, status=status, q=q, cursor=cursor, limit=PRODUCTS_PER_PAGE
        )
    except ValidationFailed:
        if not cursor:
            raise
        messages.warning(request, gettext("That page link has expired; here is the first page."))
        return _product_page(request, console, status=status, q=q, cursor=None)


@console_page("catalog.manage", section=CATALOG)
def products(request: HttpRequest, console: Console) -> HttpResponse:
    filters = ProductFilterForm(request.GET)
    filters.is_valid()
    wanted = filters.cleaned_data
    page = _product_page(
        request, console, status=wanted.get("status", ""), q=wanted.get("q", ""), cursor=wanted.get("cursor") or None
    )
    units = catalog_selectors.stock_by_product(
        actor=request.user, seller=console.organization, product_ids=[p.pk for p in page.items]
    )
    tabs = [("", _("All"))] + list(Product.Status.choices)
    return console.render(
        request,
        "console/products.html",
        {
            "filters": filters,
            "status": wanted.get("status", ""),
            "q": wanted.get("q", ""),
            "tabs": tabs,
            "page": page,
            "rows": [ProductRow(p, units.get(p.pk, 0)) for p in page.items],
        },
    )


@require_POST
@console_page("catalog.manage", section=CATALOG)
def products_bulk(request: HttpRequest, console: Console) -> HttpResponse:
    back = _safe_next(request, reverse(CATALOG, args=[console.organization.pk]))
    form = BulkStatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, next(iter(form.errors.values()))[0])
        return redirect(back)
    ids = form.cleaned_data["ids"]
    changed = catalog_services.set_status_in_bulk(
        actor=request.user, seller=console.organization, product_ids=ids, status=form.status
    )
    done = {
        Product.Status.PUBLISHED: gettext("%(count)d product(s) published."),
        Product.Status.UNPUBLISHED: gettext("%(count)d product(s) unpublished."),
    }[form.status]
    messages.success(request, done % {"count": changed})
    if skipped := len(set(ids)) - changed:
        messages.warning(
            request,
            gettext("%(count)d product(s) were left as they were: already in that state, or without an active variant.")
            % {"count": skipped},
        )
    return redirect(back)


def _seller_product(request: HttpRequest, console: Console, product_id: int) -> Product:
    """The organization's product for this page; one from another organization is a 404."""
    product = catalog_selectors.seller_product_detail(actor=request.user, product_id=product_id)
    if product.seller_id != console.organization.pk:
        raise Http404("product not found")
    return product


def _image_ids(values: list[str]) -> list[int]:
    return [int(v) for v in values if v.isdigit()]


def _variant_initial(product: Product | None) -> list[dict]:
    return [VariantForm.initial_for(v) for v in product.variants.all()] if product else []


def _product_form_page(request: HttpRequest, console: Console, product: Product | None) -> HttpResponse:
    categories = catalog_selectors.categories()
    status = 200
    removing: list[int] = []
    if request.method == "POST":
        removing = _image_ids(request.POST.getlist("remove_image"))
        editor = ProductEditor(
            actor=request.user,
            seller=console.organization,
            form=ProductForm(request.POST, categories=categories),
            variants=VariantFormSet(request.POST, prefix="variants", initial=_variant_initial(product)),
            upload=ImageUploadForm(request.POST, request.FILES),
            remove_image_ids=removing,
        )
        if editor.is_valid():
            saved = editor.save(product, publish="publish" in request.POST)
            if saved is not None:
                messages.success(request, gettext("“%(title)s” is saved.") % {"title": saved.display_title})
                return redirect("console:product_edit", console.organization.pk, saved.pk)
        if product is not None:
            product.refresh_from_db()  # forget in-memory changes the rolled-back save made
        form, variants, upload, status = editor.form, editor.variants, editor.upload, 400
    else:
        initial = ProductForm.initial_for(product) if product else {"kind": Product.Kind.PHYSICAL}
        form = ProductForm(initial=initial, categories=categories)
        variants = VariantFormSet(prefix="variants", initial=_variant_initial(product))
        upload = ImageUploadForm()
    return console.render(
        request,
        "console/product_form.html",
        {
            "product": product,
            "form": form,
            "variants": variants,
            "upload": upload,
            "images": list(product.images.all()) if product else [],
            "removing": removing,
            "currency": product.currency if product else console.organization.currency,
            "status_badge": STATUS_BADGES[product.status] if product else "",
        },
        status=status,
    )


@console_page("catalog.manage", section=CATALOG)
def product_create(request: HttpRequest, console: Console) -> HttpResponse:
    return _product_form_page(request, console, None)


@console_page("catalog.manage", section=CATALOG)
def product_edit(request: HttpRequest, console: Console, product_id: int) -> HttpResponse:
    return _product_form_page(request, console, _seller_product(request, console, product_id))


STATUS_ACTIONS = {
    "publish": (catalog_services.publish, _("“%(title)s” is published.")),
    "unpublish": (catalog_services.unpublish, _("“%(title)s” is unpublished.")),
}


@require_POST
@console_page("catalog.manage", section=CATALOG)
def product_status(request: HttpRequest, console: Console, product_id: int) -> HttpResponse:
    product = _seller_product(request, console, product_id)
    if request.POST.get("action") not in STATUS_ACTIONS:
        return HttpResponseBadRequest(gettext("Unknown action."))
    service, done = STATUS_ACTIONS[request.POST["action"]]
    try:
        service(actor=request.user, product=product)
    except DomainError as error:
        messages.error(request, sentence(error))
    else:
        messages.success(request, done % {"title": product.display_title})
    return redirect("console:product_edit", console.organization.pk, product.pk)


# ---------- team ----------


def _assignable_roles(console: Console) -> list:
    """Only an owner can make owners (the service enforces it; the form simply does not offer it)."""
    roles = list(accounts_selectors.roles())
    return roles if console.role.code == "owner" else [r for r in roles if r.code != "owner"]


def _team_page(request: HttpRequest, console: Console, invite_form: InviteForm, status: int = 200) -> HttpResponse:
    actor, org = request.user, console.organization
    return console.render(
        request,
        "console/team.html",
        {
            "members": list(accounts_selectors.members(actor, org)),
            "invitations": list(accounts_selectors.pending_invitations(actor, org)),
            "roles": invite_form.roles,
            "invite_form": invite_form,
        },
        status=status,
    )


@console_page("team.manage", section=TEAM)
def team(request: HttpRequest, console: Console) -> HttpResponse:
    return _team_page(request, console, InviteForm(roles=_assignable_roles(console)))


@require_POST
@console_page("team.manage", section=TEAM)
def invite(request: HttpRequest, console: Console) -> HttpResponse:
    form = InviteForm(request.POST, roles=_assignable_roles(console))
    if form.is_valid():
        try:
            _, token = accounts_services.invite(
                actor=request.user, organization=console.organization, **form.cleaned_data
            )
        except DomainError as error:
            attach_error(form, error)
        else:
            link = request.build_absolute_uri(f"/accounts/invitations/{token}/")
            messages.success(
                request,
                gettext("Invitation sent to %(email)s. If the e-mail does not arrive, share this link: %(link)s")
                % {"email": form.cleaned_data["email"], "link": link},
            )
            return redirect(TEAM, console.organization.pk)
    return _team_page(request, console, form, status=400)


def _team_action(request: HttpRequest, console: Console, service, done: str, **kwargs) -> bool:
    """Call a team service; its outcome becomes a message. True when it succeeded. Unknown ids stay 404s."""
    try:
        service(actor=request.user, organization=console.organization, **kwargs)
    except NotFound:
        raise
    except DomainError as error:
        messages.error(request, sentence(error))
        return False
    messages.success(request, done)
    return True


@require_POST
@console_page("team.manage", section=TEAM)
def member_role(request: HttpRequest, console: Console, membership_id: int) -> HttpResponse:
    form = RoleForm(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest(gettext("Choose a role."))
    _team_action(
        request,
        console,
        accounts_services.change_role,
        gettext("Role changed."),
        membership_id=membership_id,
        role=form.cleaned_data["role"],
    )
    return redirect(TEAM, console.organization.pk)


@require_POST
@console_page("team.manage", section=TEAM)
def member_remove(request: HttpRequest, console: Console, membership_id: int) -> HttpResponse:
    removed = _team_action(
        request, console, accounts_services.remove_member, gettext("Member removed."), membership_id=membership_id
    )
    if removed and membership_id == console.membership.pk:  # you left: this console is closed to you now
        return redirect("console:home")
    return redirect(TEAM, console.organization.pk)


@require_POST
@console_page("team.manage", section=TEAM)
def invitation_revoke(request: HttpRequest, console: Console, invitation_id: int) -> HttpResponse:
    revoke = accounts_services.revoke_invitation
    _team_action(request, console, revoke, gettext("Invitation revoked."), invitation_id=invitation_id)
    return redirect(TEAM, console.organization.pk)


# ---------- store settings ----------


@console_page("org.manage", section="console:settings")
def store_settings(request: HttpRequest, console: Console) -> HttpResponse:
    org = console.organization
    status = 200
    if request.method == "POST":
        form = OrganizationForm(request.POST)
        if form.is_valid():
            try:
                accounts_services.update_organization(actor=request.user, organization=org, **form.cleaned_data)
            except DomainError as error:
                attach_error(form, error)
            else:
                messages.success(request, gettext("Store settings saved."))
                return redirect("console:settings", org.pk)
            org.refresh_from_db()
        status = 400
    else:
        form = OrganizationForm(initial=OrganizationForm.initial_for(org))
    return console.render(request, "console/settings.html", {"form": form}, status=status)
