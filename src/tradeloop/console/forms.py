"""Console forms: they parse what people type into the shapes the services take. Rules live in the services."""

from __future__ import annotations

from collections.abc import Iterable

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from tradeloop.catalog.models import Product
from tradeloop.core.money import SUPPORTED_CURRENCIES, quantize

ATTRIBUTE_SEPARATOR = ":"
OPTION_PAIR_SEPARATOR = ";"
OPTION_SEPARATOR = "="
MAX_INT = 2**31 - 1  # the largest stock or weight every database stores


def parse_pairs(chunks: Iterable[str], *, key_separator: str, example: str) -> dict[str, str]:
    """["Color=Red", " Size=L"] → {"Color": "Red", "Size": "L"}; a chunk without its separator is a form error."""
    pairs: dict[str, str] = {}
    for chunk in chunks:
        chunk = chunk.strip()
        if not chunk:
            continue
        key, separator, value = chunk.partition(key_separator)
        if not separator or not key.strip():
            raise forms.ValidationError(
                gettext("Write each entry as %(example)s (could not read “%(chunk)s”).")
                % {"example": example, "chunk": chunk}
            )
        pairs[key.strip()] = value.strip()
    return pairs


def format_pairs(pairs: dict, *, pair_separator: str, key_separator: str) -> str:
    return pair_separator.join(f"{key}{key_separator}{value}" for key, value in (pairs or {}).items())


ATTRIBUTES_HELP = _("One per line, as “Name: Value”.")
DESCRIPTION_HELP = _("Simple HTML is kept (paragraphs, lists, bold, links); everything else is removed.")


class ProductForm(forms.Form):
    """The product page's fields; title, description and attributes in English and in Simplified Chinese
    (either may be left blank, but not both titles: shoppers then read the other language's)."""

    SERVICE_FIELDS = (
        "title",
        "title_zh",
        "kind",
        "category",
        "condition",
        "description",
        "description_zh",
        "attributes",
        "attributes_zh",
        "return_window_days",
    )

    title = forms.CharField(label=_("Title (English)"), max_length=200, required=False)
    title_zh = forms.CharField(
        label=_("Title (Simplified Chinese)"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"lang": "zh-Hans"}),
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=Product.Kind.choices)
    category = forms.ChoiceField(label=_("Category"), required=False)
    condition = forms.ChoiceField(label=_("Condition"), choices=Product.Condition.choices)
    description = forms.CharField(
        label=_("Description (English)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=DESCRIPTION_HELP,
    )
    description_zh = forms.CharField(
        label=_("Description (Simplified Chinese)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6, "lang": "zh-Hans"}),
        help_text=DESCRIPTION_HELP,
    )
    attributes = forms.CharField(
        label=_("Attributes (English)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "placeholder": "Material: Cotton\nOrigin: Hangzhou"}),
        help_text=ATTRIBUTES_HELP,
    )
    attributes_zh = forms.CharField(
        label=_("Attributes (Simplified Chinese)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "placeholder": "材质: 棉\n产地: 杭州", "lang": "zh-Hans"}),
        help_text=ATTRIBUTES_HELP,
    )
    return_window_days = forms.IntegerField(
        label=_("Return window (days)"),
        required=False,
        min_value=0,
        max_value=365,
        help_text=_("Days after delivery in which buyers may return it without a reason. Empty: the platform default."),
    )

    def __init__(self, *args, categories=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [("", gettext("No category"))] + [
            (str(c.pk), f"{'— ' * c.depth}{c.label}") for c in categories
        ]

    def clean(self) -> dict:
        data = super().clean()
        if not (data.get("title") or data.get("title_zh")) and "title" not in self.errors:
            # The catalog service holds the same rule; said here too so it shows beside the other fields' errors.
            self.add_error("title", capfirst(gettext("give a title in English or in Chinese")))
        return data

    def _attribute_lines(self, name: str) -> dict[str, str]:
        lines = self.cleaned_data[name].splitlines()
        return parse_pairs(lines, key_separator=ATTRIBUTE_SEPARATOR, example="Material: Cotton")

    def clean_attributes(self) -> dict[str, str]:
        return self._attribute_lines("attributes")

    def clean_attributes_zh(self) -> dict[str, str]:
        return self._attribute_lines("attributes_zh")

    def service_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.SERVICE_FIELDS}

    @staticmethod
    def initial_for(product: Product) -> dict:
        return {
            "title": product.title,
            "title_zh": product.title_zh,
            "kind": product.kind,
            "category": str(product.category_id or ""),
            "condition": product.condition,
            "description": product.description,
            "description_zh": product.description_zh,
            "attributes": format_pairs(product.attributes, pair_separator="\n", key_separator=": "),
            "attributes_zh": format_pairs(product.attributes_zh, pair_separator="\n", key_separator=": "),
            "return_window_days": product.return_window_days,
        }


class VariantForm(forms.Form):
    """One SKU row. Prices stay text-like decimals: the catalog service decides what is allowed."""

    id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    sku = forms.CharField(label=_("SKU"), max_length=64)
    name = forms.CharField(label=_("Name (English)"), max_length=120, required=False)
    name_zh = forms.CharField(label=_("Name (Simplified Chinese)"), max_length=120, required=False)
    options = forms.CharField(
        label=_("Options"), required=False, widget=forms.TextInput(attrs={"placeholder": "Color=Red; Size=L"})
    )
    price = forms.DecimalField(label=_("Price"), max_digits=18, decimal_places=4)
    compare_at_price = forms.DecimalField(label=_("Original price"), max_digits=18, decimal_places=4, required=False)
    stock = forms.IntegerField(label=_("Stock"), initial=0, max_value=MAX_INT)
    stock_shown = forms.IntegerField(required=False, widget=forms.HiddenInput)  # what the page showed
    weight_grams = forms.IntegerField(label=_("Weight (g)"), initial=0, required=False, max_value=MAX_INT)
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    def clean_options(self) -> dict[str, str]:
        return parse_pairs(
            self.cleaned_data["options"].split(OPTION_PAIR_SEPARATOR),
            key_separator=OPTION_SEPARATOR,
            example="Color=Red; Size=L",
        )

    def clean_weight_grams(self) -> int:
        return self.cleaned_data["weight_grams"] or 0

    @staticmethod
    def initial_for(variant) -> dict:
        return {
            "id": variant.pk,
            "sku": variant.sku,
            "name": variant.name,
            "name_zh": variant.name_zh,
            "options": format_pairs(variant.options, pair_separator="; ", key_separator=OPTION_SEPARATOR),
            "price": quantize(variant.price, variant.currency),
            "compare_at_price": quantize(variant.compare_at_price, variant.currency)
            if variant.compare_at_price is not None
            else None,
            "stock": variant.stock,
            "stock_shown": variant.stock,
            "weight_grams": variant.weight_grams,
            "is_active": variant.is_active,
        }


class BaseVariantFormSet(forms.BaseFormSet):
    def clean(self) -> None:
        if any(self.errors):
            return
        kept = [f for f in self.forms if f.has_changed() or f.cleaned_data.get("id")]
        if not [f for f in kept if not self._should_delete_form(f)]:
            raise forms.ValidationError(gettext("Add at least one variant (a SKU with a price)."))


VariantFormSet = forms.formset_factory(VariantForm, formset=BaseVariantFormSet, extra=1, can_delete=True)


class ImageUploadForm(forms.Form):
    image = forms.FileField(
        label=_("Add an image"), required=False, widget=forms.FileInput(attrs={"accept": "image/*"})
    )
    alt = forms.CharField(
        label=_("Image description"),
        max_length=200,
        required=False,
        help_text=_("Describes the picture for people who cannot see it."),
    )


class ProductFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[("", _("All")), *Product.Status.choices])
    q = forms.CharField(label=_("Search title or SKU"), required=False, max_length=100)
    cursor = forms.CharField(required=False, widget=forms.HiddenInput)


BULK_ACTIONS = {"publish": Product.Status.PUBLISHED, "unpublish": Product.Status.UNPUBLISHED}


class BulkStatusForm(forms.Form):
    action = forms.ChoiceField(choices=[(a, a) for a in BULK_ACTIONS])
    ids = forms.TypedMultipleChoiceField(coerce=int, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Any integer is acceptable here: the service only touches the organization's own products.
        self.fields["ids"].valid_value = lambda value: str(value).isdigit()

    def clean_ids(self) -> list[int]:
        ids = self.cleaned_data["ids"]
        if not ids:
            raise forms.ValidationError(gettext("Select at least one product."))
        return ids

    @property
    def status(self) -> str:
        return BULK_ACTIONS[self.cleaned_data["action"]]


class InviteForm(forms.Form):
    email = forms.EmailField(label=_("E-mail"))
    role = forms.ChoiceField(label=_("Role"))

    def __init__(self, *args, roles=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.roles = list(roles)
        self.fields["role"].choices = [(r.code, r.name) for r in self.roles]
        # Suggest the least powerful staff role rather than the first one in the list (the owner).
        staff = [r.code for r in self.roles if r.code not in ("owner", "admin")]
        self.fields["role"].initial = staff[0] if staff else None


class RoleForm(forms.Form):
    role = forms.CharField(max_length=30)


class OrganizationForm(forms.Form):
    name = forms.CharField(label=_("Store name"), max_length=120)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 4}), max_length=4000
    )
    email = forms.EmailField(label=_("Contact e-mail"), required=False)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    address = forms.CharField(label=_("Address"), max_length=240, required=False)
    city = forms.CharField(label=_("City"), max_length=80, required=False)
    latitude = forms.DecimalField(
        label=_("Latitude"), required=False, max_digits=9, decimal_places=6, min_value=-90, max_value=90
    )
    longitude = forms.DecimalField(
        label=_("Longitude"), required=False, max_digits=9, decimal_places=6, min_value=-180, max_value=180
    )
    currency = forms.ChoiceField(
        label=_("Currency"),
        choices=[(c, c) for c in SUPPORTED_CURRENCIES],
        help_text=_("New products are priced in this currency."),
    )

    FIELDS = ("name", "description", "email", "phone", "address", "city", "latitude", "longitude", "currency")

    @classmethod
    def initial_for(cls, organization) -> dict:
        return {name: getattr(organization, name) for name in cls.FIELDS}
