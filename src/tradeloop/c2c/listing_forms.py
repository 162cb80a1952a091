"""Web forms of private listings: they parse what people typed; the rules live in c2c.listings."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from tradeloop.c2c.models import DeliverySpeed
from tradeloop.catalog.models import Category, Product


def attach(form: forms.Form, error) -> None:
    """A service's error shown on its field, or on top of the form."""
    name = (error.field or "").split(".")[0]
    form.add_error(name if name in form.fields else None, error.message)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    """Up to 9 photos; each one is checked (an image, 8 MB at most) by the service."""

    widget = MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"})

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        return [f for f in files if f]


class CategoryChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Category) -> str:
        return f"{'— ' * obj.depth}{obj.label}"


class ListingForm(forms.Form):
    """Sell an item: the photos, what it is, its price, how it changes hands."""

    photos = PhotosField(label=_("Photos"), required=False, help_text=_("Up to 9 photos (JPEG, PNG or WebP)."))
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("Description"), max_length=5000, required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    condition = forms.ChoiceField(
        label=_("Condition"), choices=Product.Condition.choices, initial=Product.Condition.GOOD
    )
    category = CategoryChoice(label=_("Category"), queryset=Category.objects.none(), required=False)
    price = forms.DecimalField(label=_("Price"), min_value=0, max_digits=14, decimal_places=2)
    ships = forms.BooleanField(label=_("I ship it"), required=False, initial=True)
    delivery_speed = forms.ChoiceField(
        label=_("Delivery"), choices=DeliverySpeed.choices, initial=DeliverySpeed.EXPRESS
    )
    shipping_fee = forms.DecimalField(
        label=_("Shipping fee"), min_value=0, max_digits=14, decimal_places=2, required=False, initial=0
    )
    local_pickup = forms.BooleanField(label=_("Local pickup"), required=False)
    city = forms.CharField(label=_("City"), max_length=80)
    district = forms.CharField(label=_("District"), max_length=80, required=False)

    def __init__(self, *args, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = Category.objects.order_by("path")
        if editing:
            del self.fields["photos"]

    def clean(self):
        data = super().clean()
        if not data.get("ships") and not data.get("local_pickup") and not self.errors:
            self.add_error("ships", _("Ship the item, offer local pickup, or both."))
        return data

    def values(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("photos", None)
        data["shipping_fee"] = data.get("shipping_fee") or 0
        return data
