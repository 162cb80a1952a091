"""Parsing of the storefront's GET parameters. Bad values become form errors (HTTP 400), never a 500."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from tradeloop.catalog import selectors as catalog
from tradeloop.catalog.models import Product
from tradeloop.catalog.selectors import ProductFilters
from tradeloop.core.errors import NotFound

SORT_CHOICES = [
    ("new", _("Newest")),
    ("price_asc", _("Price: low to high")),
    ("price_desc", _("Price: high to low")),
    ("rating", _("Best rated")),
]
MAX_PRICE = Decimal("100000000")


class ProductFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    category = forms.SlugField(label=_("Category"), required=False, max_length=80)
    kind = forms.ChoiceField(label=_("Type"), required=False, choices=[("", _("All types")), *Product.Kind.choices])
    min = forms.DecimalField(
        label=_("Min price"), required=False, min_value=0, max_value=MAX_PRICE, decimal_places=2, max_digits=12
    )
    max = forms.DecimalField(
        label=_("Max price"), required=False, min_value=0, max_value=MAX_PRICE, decimal_places=2, max_digits=12
    )
    in_stock = forms.BooleanField(label=_("In stock only"), required=False)
    sort = forms.ChoiceField(label=_("Sort by"), required=False, choices=SORT_CHOICES)

    def __init__(self, *args, fixed_category=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fixed_category = fixed_category
        self.fields["min"].widget.attrs.update(inputmode="decimal", placeholder=_("Min"))
        self.fields["max"].widget.attrs.update(inputmode="decimal", placeholder=_("Max"))
        self.fields["sort"].widget.attrs["data-autosubmit"] = ""

    def clean_category(self):
        slug = self.cleaned_data.get("category")
        if self.fixed_category is not None or not slug:
            return None
        try:
            return catalog.category_by_slug(slug)
        except NotFound as exc:
            raise forms.ValidationError(_("There is no such category."), code="unknown") from exc

    def clean(self):
        data = super().clean()
        low, high = data.get("min"), data.get("max")
        if low is not None and high is not None and low > high:
            self.add_error("max", _("The maximum price must not be below the minimum."))
        return data

    def filters(self, **scope) -> ProductFilters:
        data = self.cleaned_data
        return ProductFilters(
            q=data.get("q") or "",
            category=self.fixed_category or data.get("category"),
            kind=data.get("kind") or "",
            min_price=data.get("min"),
            max_price=data.get("max"),
            in_stock=bool(data.get("in_stock")),
            sort=data.get("sort") or "new",
            **scope,
        )

    @property
    def is_filtered(self) -> bool:
        """True when the shopper narrowed the list (for the empty state's wording)."""
        return any(self.data.get(name) for name in ("q", "category", "kind", "min", "max", "in_stock"))
