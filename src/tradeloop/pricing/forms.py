"""Console forms for price lists and tiers: they parse what the seller typed; the rules live in services."""

from __future__ import annotations

import csv
from decimal import Decimal, InvalidOperation

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from tradeloop.core.money import SUPPORTED_CURRENCIES
from tradeloop.pricing.services import EntryInput, PriceListInput, TierInput

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"
MAX_TEXT = 100_000


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format=DATETIME_FORMAT, **kwargs)


def _datetime_field(label, help_text) -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        required=False,
        widget=DateTimeInput(),
        input_formats=[DATETIME_FORMAT, "%Y-%m-%d %H:%M"],
        help_text=help_text,
    )


def _cells(text: str) -> list[tuple[int, list[str]]]:
    """Non-empty lines split at commas, tabs or semicolons, with their line number."""
    rows = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        delimiter = "\t" if "\t" in line else ";" if ";" in line else ","
        rows.append((number, [cell.strip() for cell in next(csv.reader([line], delimiter=delimiter))]))
    return rows


def _decimal(value: str) -> Decimal | None:
    try:
        amount = Decimal(value)
    except (InvalidOperation, ValueError):
        return None
    return amount if amount.is_finite() else None


class PriceListForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    currency = forms.ChoiceField(label=_("Currency"), choices=[(c, c) for c in SUPPORTED_CURRENCIES])
    priority = forms.IntegerField(
        label=_("Priority"),
        min_value=0,
        max_value=1000,
        initial=0,
        help_text=_("When several of your lists price the same item for a company, the highest priority wins."),
    )
    valid_from = _datetime_field(_("Valid from"), _("Empty: from now."))
    valid_until = _datetime_field(_("Valid until"), _("Empty: no end."))
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)
    buyers = forms.CharField(
        label=_("Companies"),
        required=False,
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "One company per line: its store address name (slug) or its number. Their members buy at these prices."
        ),
    )
    entries = forms.CharField(
        label=_("Prices"),
        required=False,
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 8, "spellcheck": "false"}),
        help_text=_(
            "One price per line: SKU, unit price, and optionally the quantity it applies from (e.g. ADC-24, 9.50 or ADC-24, 8.50, 200)."
        ),
    )

    def clean_entries(self) -> list[EntryInput]:
        parsed = []
        for number, cells in _cells(self.cleaned_data["entries"]):
            if len(cells) not in (2, 3) or not cells[0]:
                raise forms.ValidationError(
                    gettext("Line %(n)s: write SKU, unit price[, from quantity].") % {"n": number}
                )
            price = _decimal(cells[1])
            min_q = cells[2] if len(cells) == 3 else "1"
            if price is None or not min_q.isdigit():
                raise forms.ValidationError(
                    gettext("Line %(n)s: the price and the quantity must be numbers.") % {"n": number}
                )
            parsed.append(EntryInput(unit_price=price, sku=cells[0], min_quantity=int(min_q)))
        return parsed

    def clean_buyers(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["buyers"].replace(",", "\n").splitlines() if line.strip()]

    def to_input(self) -> PriceListInput:
        data = self.cleaned_data
        return PriceListInput(
            name=data["name"],
            currency=data["currency"],
            priority=data["priority"],
            valid_from=data["valid_from"],
            valid_until=data["valid_until"],
            is_active=data["is_active"],
        )

    @staticmethod
    def initial_for(price_list, entries, buyers) -> dict:
        def number(amount: Decimal) -> str:
            return format(amount.normalize(), "f")

        return {
            "name": price_list.name,
            "currency": price_list.currency,
            "priority": price_list.priority,
            "valid_from": price_list.valid_from,
            "valid_until": price_list.valid_until,
            "is_active": price_list.is_active,
            "buyers": "\n".join(b.slug for b in buyers),
            "entries": "\n".join(
                f"{e.variant.sku}, {number(e.unit_price)}" + (f", {e.min_quantity}" if e.min_quantity > 1 else "")
                for e in entries
            ),
        }


class TiersForm(forms.Form):
    """One variant's public tiers and order rule."""

    tiers = forms.CharField(
        label=_("Prices by quantity"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3, "spellcheck": "false"}),
        help_text=_(
            "One tier per line: from quantity, unit price (e.g. 100, 9.00). Below the first tier the list price applies."
        ),
    )
    min_quantity = forms.IntegerField(label=_("Minimum order quantity"), required=False, min_value=1, max_value=10_000)
    multiple = forms.IntegerField(label=_("Order multiple"), required=False, min_value=1, max_value=10_000)

    def clean_tiers(self) -> list[TierInput]:
        parsed = []
        for number, cells in _cells(self.cleaned_data["tiers"]):
            price = _decimal(cells[1]) if len(cells) == 2 else None
            if price is None or not cells[0].isdigit():
                raise forms.ValidationError(gettext("Line %(n)s: write from quantity, unit price.") % {"n": number})
            parsed.append(TierInput(int(cells[0]), price))
        return parsed

    @staticmethod
    def initial_for(variant, rule) -> dict:
        return {
            "tiers": "\n".join(
                f"{t.min_quantity}, {format(t.unit_price.normalize(), 'f')}" for t in variant.quantity_tiers.all()
            ),
            "min_quantity": rule.min_quantity if rule else None,
            "multiple": rule.multiple if rule else None,
        }


def attach(form: forms.Form, error) -> None:
    """A service's error shown on its field (entries.3 → the prices box), or on top of the form."""
    field = (error.field or "").split(".", 1)[0]
    if (
        field == "buyers"
        or field == "entries"
        or field in form.fields
        or field in ("min_quantity", "multiple", "tiers")
    ):
        form.add_error(field if field in form.fields else None, error.message)
    else:
        form.add_error(None, error.message or gettext("Please check this."))
