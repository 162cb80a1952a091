"""Console forms for store decoration: they parse what the merchant typed; rules live in storefront.design."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from tradeloop.storefront.design import NOTICE_TONES, TEXT_LIMITS
from tradeloop.storefront.models import StoreDesign

SECTION_LABELS = {
    "banner": _("Banner"),
    "featured_products": _("Featured products"),
    "category_grid": _("Category grid"),
    "coupon_strip": _("Coupon strip"),
    "notice": _("Notice"),
}
TONE_LABELS = {"info": _("Information"), "warning": _("Important"), "success": _("Good news")}


class ColoursForm(forms.Form):
    primary_colour = forms.CharField(
        label=_("Primary colour"),
        max_length=7,
        widget=forms.TextInput(attrs={"type": "color"}),
        help_text=_("Buttons and prices. White text must stay readable on it."),
    )
    accent_colour = forms.CharField(
        label=_("Accent colour"),
        max_length=7,
        widget=forms.TextInput(attrs={"type": "color"}),
        help_text=_("The banner background."),
    )


class AddSectionForm(forms.Form):
    type = forms.ChoiceField(
        label=_("Add a section"), choices=[(t, SECTION_LABELS[t]) for t in StoreDesign.SECTION_TYPES]
    )


class SectionForm(forms.Form):
    """All section fields; the template shows those the section's type has."""

    heading = forms.CharField(label=_("Heading"), required=False, max_length=TEXT_LIMITS["heading"])
    text = forms.CharField(
        label=_("Text"),
        required=False,
        max_length=TEXT_LIMITS["text"],
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Plain text: any HTML is removed."),
    )
    image = forms.FileField(label=_("Banner image"), required=False, help_text=_("JPEG, PNG or WebP, at most 8 MB."))
    remove_image = forms.BooleanField(label=_("Remove the image"), required=False)
    product_ids = forms.MultipleChoiceField(label=_("Products"), required=False)
    category_ids = forms.MultipleChoiceField(label=_("Categories"), required=False)
    tone = forms.ChoiceField(label=_("Tone"), required=False, choices=[(t, TONE_LABELS[t]) for t in NOTICE_TONES])

    FIELDS_BY_TYPE = {
        "banner": ("heading", "text", "image", "remove_image"),
        "featured_products": ("heading", "product_ids"),
        "category_grid": ("heading", "category_ids"),
        "coupon_strip": ("heading",),
        "notice": ("text", "tone"),
    }

    def __init__(self, *args, section: dict, products=(), categories=(), **kwargs):
        kwargs.setdefault("initial", {k: v for k, v in section.items() if k != "type"})
        super().__init__(*args, **kwargs)
        self.section_type = section["type"]
        self.fields["product_ids"].choices = [(p.pk, p.display_title) for p in products]
        self.fields["category_ids"].choices = [(c.pk, f"{'— ' * c.depth}{c.label}") for c in categories]
        for name in list(self.fields):
            if name not in self.FIELDS_BY_TYPE[self.section_type]:
                del self.fields[name]

    def data_for_service(self) -> dict:
        data = dict(self.cleaned_data)
        for name in ("product_ids", "category_ids"):
            if name in data:
                data[name] = [int(v) for v in data[name]]
        data.pop("image", None)
        return data
