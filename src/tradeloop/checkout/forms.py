from django import forms
from django.utils.translation import gettext_lazy as _

from tradeloop.checkout.cart import MAX_QUANTITY


class AddressForm(forms.Form):
    name = forms.CharField(label=_("Recipient"), max_length=120)
    phone = forms.CharField(label=_("Phone"), max_length=40)
    line1 = forms.CharField(label=_("Address"), max_length=240)
    line2 = forms.CharField(label=_("Address line 2"), max_length=240, required=False)
    city = forms.CharField(label=_("City"), max_length=80)
    region = forms.CharField(label=_("Province / state"), max_length=80, required=False)
    postcode = forms.CharField(label=_("Postcode"), max_length=20, required=False)
    country = forms.CharField(label=_("Country"), max_length=2, initial="CN", help_text=_("Two letters, e.g. CN"))
    is_default = forms.BooleanField(label=_("Use as my default address"), required=False)


class QuantityForm(forms.Form):
    quantity = forms.IntegerField(label=_("Quantity"), min_value=0, max_value=MAX_QUANTITY)


class AddToCartForm(forms.Form):
    variant = forms.IntegerField(min_value=1)
    quantity = forms.IntegerField(label=_("Quantity"), min_value=1, max_value=MAX_QUANTITY, initial=1)
