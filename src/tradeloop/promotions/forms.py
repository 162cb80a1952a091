"""Console forms for promotions: they parse what the seller typed into a `PromotionInput`. Rules live in services."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from tradeloop.core.money import SUPPORTED_CURRENCIES
from tradeloop.promotions.models import Promotion
from tradeloop.promotions.services import PromotionInput

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format=DATETIME_FORMAT, **kwargs)


def _datetime_field(label, **kwargs) -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label, required=False, widget=DateTimeInput(), input_formats=[DATETIME_FORMAT, "%Y-%m-%d %H:%M"], **kwargs
    )


def _count_field(label, help_text="") -> forms.IntegerField:
    return forms.IntegerField(label=label, required=False, min_value=1, help_text=help_text)


class PromotionForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120, help_text=_("Buyers see it in their price breakdown."))
    code = forms.CharField(
        label=_("Coupon code"),
        max_length=40,
        required=False,
        help_text=_("Leave empty for a promotion that applies automatically."),
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=Promotion.Kind.choices)
    value = forms.DecimalField(
        label=_("Value"),
        required=False,
        min_value=0,
        max_digits=14,
        decimal_places=2,
        help_text=_("Percent off (1–100) or the amount off; not used for free shipping and buy X get Y."),
    )
    buy_quantity = forms.IntegerField(label=_("Buy (units)"), required=False, min_value=0)
    get_quantity = forms.IntegerField(label=_("Get free (units)"), required=False, min_value=0)
    scope = forms.ChoiceField(label=_("Applies to"), choices=Promotion.Scope.choices)
    categories = forms.MultipleChoiceField(label=_("Categories"), required=False)
    products = forms.MultipleChoiceField(label=_("Products"), required=False)
    min_spend = forms.DecimalField(
        label=_("Minimum spend"), required=False, min_value=0, max_digits=14, decimal_places=2
    )
    currency = forms.ChoiceField(label=_("Currency"), choices=[(c, c) for c in SUPPORTED_CURRENCIES])
    starts_at = _datetime_field(_("Starts"), help_text=_("Empty: now."))
    ends_at = _datetime_field(_("Ends"), help_text=_("Empty: until you switch it off."))
    usage_limit = _count_field(_("Uses in total"), _("Empty: no limit."))
    per_customer_limit = _count_field(_("Uses per customer"), _("Empty: no limit."))
    flash_stock_cap = _count_field(_("Flash-sale units"), _("Makes it a flash sale: at most this many units."))
    stackable = forms.BooleanField(label=_("Combines with other promotions"), required=False)
    is_public = forms.BooleanField(
        label=_("Show in the store's coupon strip"), required=False, initial=True, help_text=_("Coupons only.")
    )

    def __init__(self, *args, categories=(), products=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["categories"].choices = [(str(c.pk), f"{'— ' * c.depth}{c.label}") for c in categories]
        self.fields["products"].choices = [(str(p.pk), p.display_title) for p in products]

    def to_input(self) -> PromotionInput:
        data = self.cleaned_data
        return PromotionInput(
            name=data["name"],
            kind=data["kind"],
            value=data["value"] or Decimal(0),
            code=data["code"],
            scope=data["scope"],
            category_ids=[int(v) for v in data["categories"]],
            product_ids=[int(v) for v in data["products"]],
            min_spend=data["min_spend"] or Decimal(0),
            currency=data["currency"],
            starts_at=data["starts_at"],
            ends_at=data["ends_at"],
            usage_limit=data["usage_limit"],
            per_customer_limit=data["per_customer_limit"],
            flash_stock_cap=data["flash_stock_cap"],
            buy_quantity=data["buy_quantity"] or 0,
            get_quantity=data["get_quantity"] or 0,
            stackable=data["stackable"],
            is_public=data["is_public"],
        )

    @staticmethod
    def initial_for(promotion: Promotion) -> dict:
        return {
            "name": promotion.name,
            "code": promotion.code,
            "kind": promotion.kind,
            "value": promotion.value.normalize() if promotion.value else None,
            "buy_quantity": promotion.buy_quantity or None,
            "get_quantity": promotion.get_quantity or None,
            "scope": promotion.scope,
            "categories": [str(c.pk) for c in promotion.categories.all()],
            "products": [str(p.pk) for p in promotion.products.all()],
            "min_spend": promotion.min_spend.normalize() if promotion.min_spend else None,
            "currency": promotion.currency,
            "starts_at": promotion.starts_at,
            "ends_at": promotion.ends_at,
            "usage_limit": promotion.usage_limit,
            "per_customer_limit": promotion.per_customer_limit,
            "flash_stock_cap": promotion.flash_stock_cap,
            "stackable": promotion.stackable,
            "is_public": promotion.is_public,
        }


class FlashSaleForm(forms.Form):
    """A flash sale in one step: some products, a per-unit discount, a time window, a unit cap."""

    name = forms.CharField(label=_("Name"), max_length=120)
    products = forms.MultipleChoiceField(label=_("Products"))
    kind = forms.ChoiceField(
        label=_("Discount"),
        choices=[
            (Promotion.Kind.PERCENT, _("Percent off each unit")),
            (Promotion.Kind.FIXED, _("Amount off each unit")),
        ],
    )
    value = forms.DecimalField(label=_("Value"), min_value=0, max_digits=14, decimal_places=2)
    currency = forms.ChoiceField(label=_("Currency"), choices=[(c, c) for c in SUPPORTED_CURRENCIES])
    starts_at = _datetime_field(_("Starts"), help_text=_("Empty: now."))
    ends_at = forms.DateTimeField(
        label=_("Ends"), widget=DateTimeInput(), input_formats=[DATETIME_FORMAT, "%Y-%m-%d %H:%M"]
    )
    flash_stock_cap = forms.IntegerField(label=_("Units on sale"), min_value=1)
    per_customer_limit = _count_field(_("Orders per customer"), _("Empty: no limit."))

    def __init__(self, *args, products=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["products"].choices = [(str(p.pk), p.display_title) for p in products]

    def to_input(self) -> PromotionInput:
        data = self.cleaned_data
        return PromotionInput(
            name=data["name"],
            kind=data["kind"],
            value=data["value"],
            scope=Promotion.Scope.PRODUCT,
            product_ids=[int(v) for v in data["products"]],
            currency=data["currency"],
            starts_at=data["starts_at"],
            ends_at=data["ends_at"],
            flash_stock_cap=data["flash_stock_cap"],
            per_customer_limit=data["per_customer_limit"],
        )


def attach(form: forms.Form, error) -> None:
    """A service's ValidationFailed/Conflict shown on its field (or on top of the form)."""
    field = error.field if error.field in form.fields else None
    if error.field == "category_ids":
        field = "categories"
    elif error.field == "product_ids":
        field = "products"
    form.add_error(field if field in form.fields else None, error.message or gettext("Please check this."))
