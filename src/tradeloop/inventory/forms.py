from django import forms
from django.utils.translation import gettext_lazy as _

from tradeloop.inventory.models import StockMovement
from tradeloop.inventory.services import MANUAL_REASONS

MAX_UNITS = 2**31 - 1
REASON_CHOICES = [(value, label) for value, label in StockMovement.Reason.choices if value in MANUAL_REASONS]


class AdjustForm(forms.Form):
    delta = forms.IntegerField(
        label=_("Change in units"),
        min_value=-MAX_UNITS,
        max_value=MAX_UNITS,
        help_text=_("e.g. 20 received, -2 damaged"),
    )
    reason = forms.ChoiceField(label=_("Reason"), choices=REASON_CHOICES)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)


class ThresholdForm(forms.Form):
    low_stock_threshold = forms.IntegerField(label=_("Warn at or below"), min_value=0, max_value=MAX_UNITS)


class ReceiveForm(forms.Form):
    sku = forms.CharField(label=_("SKU"), max_length=64)
    warehouse = forms.TypedChoiceField(label=_("Warehouse"), coerce=int)
    quantity = forms.IntegerField(label=_("Units received"), min_value=1, max_value=MAX_UNITS)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def __init__(self, *args, warehouses=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["warehouse"].choices = [(w.pk, w.name) for w in warehouses if w.is_active]


class WarehouseForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    city = forms.CharField(label=_("City"), max_length=80, required=False)
    address = forms.CharField(label=_("Address"), max_length=240, required=False)
    priority = forms.IntegerField(
        label=_("Priority"),
        min_value=0,
        max_value=32767,
        initial=10,
        help_text=_("Orders take stock from the lowest number first"),
    )
    is_active = forms.BooleanField(label=_("Active (its units are for sale)"), required=False, initial=True)
