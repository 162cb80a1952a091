"""Web forms of RFQs and quotes: they parse what people typed into the services' inputs. Rules live in services."""

from __future__ import annotations

from datetime import datetime, time
from decimal import Decimal, InvalidOperation

from django import forms
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from tradeloop.b2b import quotes, rfqs
from tradeloop.catalog.models import Variant
from tradeloop.core.money import SUPPORTED_CURRENCIES
from tradeloop.orders.terms import terms_choices

LINE_ROWS = 5  # empty rows offered on the new-RFQ form


class DateInput(forms.DateInput):
    input_type = "date"


def attach(form: forms.Form, error) -> None:
    """A service's error shown on its field, or on top of the form."""
    name = (error.field or "").split(".")[0]
    form.add_error(name if name in form.fields else None, error.message)


class RfqForm(forms.Form):
    organization = forms.TypedChoiceField(label=_("Buying for"), coerce=int)
    title = forms.CharField(label=_("What do you need?"), max_length=200)
    audience = forms.ChoiceField(
        label=_("Send to"),
        choices=[("direct", _("One supplier")), ("open", _("All suppliers of a category"))],
        widget=forms.RadioSelect,
    )
    supplier = forms.TypedChoiceField(label=_("Supplier"), coerce=int, required=False, empty_value=None)
    category = forms.TypedChoiceField(label=_("Category"), coerce=int, required=False, empty_value=None)
    currency = forms.ChoiceField(label=_("Currency"), choices=[(c, c) for c in SUPPORTED_CURRENCIES])
    deadline = forms.DateField(
        label=_("Quotes until"), widget=DateInput(), help_text=_("The RFQ closes at the end of this day.")
    )
    required_by = forms.DateField(label=_("Required by"), required=False, widget=DateInput())
    delivery_terms = forms.CharField(
        label=_("Delivery terms"), max_length=300, required=False, help_text=_("For example: DAP Shenzhen, on pallets")
    )
    note = forms.CharField(
        label=_("Details for the supplier"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args, organizations=(), suppliers=(), categories=(), rows=LINE_ROWS, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].choices = [(o.pk, o.name) for o in organizations]
        self.fields["supplier"].choices = [("", gettext("Choose a supplier"))] + [(s.pk, s.name) for s in suppliers]
        self.fields["category"].choices = [("", gettext("Choose a category"))] + [
            (c.pk, ("— " * c.depth) + c.label) for c in categories
        ]
        self.rows = rows
        self.line_errors: dict[int, str] = {}

    def line_rows(self) -> list[dict]:
        """The line inputs as they stand (posted, or the initial ones), for the template."""
        source = self.data if self.is_bound else self.initial.get("lines_data", {})
        return [
            {
                "index": i,
                "variant": source.get(f"line-{i}-variant", ""),
                "description": source.get(f"line-{i}-description", ""),
                "quantity": source.get(f"line-{i}-quantity", ""),
                "target_price": source.get(f"line-{i}-target_price", ""),
                "error": self.line_errors.get(i, ""),
            }
            for i in range(self.rows)
        ]

    def lines(self) -> list[rfqs.RfqLineIn] | None:
        out = []
        ids = [self.data.get(f"line-{i}-variant", "") for i in range(self.rows)]
        variants = Variant.objects.select_related("product").in_bulk([int(v) for v in ids if v.isdigit()])
        for i in range(self.rows):
            description = (self.data.get(f"line-{i}-description") or "").strip()
            quantity = (self.data.get(f"line-{i}-quantity") or "").strip()
            target = (self.data.get(f"line-{i}-target_price") or "").strip()
            variant = variants.get(int(ids[i])) if ids[i].isdigit() else None
            if not (description or quantity or target or variant):
                continue
            if not quantity.isdigit() or int(quantity) < 1:
                self.line_errors[i] = gettext("Choose a quantity of at least 1.")
                continue
            try:
                price = Decimal(target) if target else None
            except InvalidOperation:
                self.line_errors[i] = gettext("Enter a price such as 12.50.")
                continue
            out.append(rfqs.RfqLineIn(int(quantity), variant, description, price))
        if self.line_errors:
            return None
        if not out:
            self.add_error(None, gettext("Ask for at least one line."))
            return None
        return out

    def to_input(self, files) -> rfqs.RfqIn | None:
        lines = self.lines()
        if lines is None:
            return None
        data = self.cleaned_data
        deadline = timezone.make_aware(datetime.combine(data["deadline"], time(23, 59)))
        return rfqs.RfqIn(
            title=data["title"],
            lines=lines,
            deadline=deadline,
            currency=data["currency"],
            delivery_terms=data["delivery_terms"],
            required_by=data["required_by"],
            note=data["note"],
            files=list(files),
        )


class TermsForm(forms.Form):
    """A quote version: per line SKU, quantity, unit price, discount; shipping, terms, validity, note."""

    shipping = forms.DecimalField(label=_("Shipping"), min_value=0, max_digits=14, decimal_places=2, initial=0)
    payment_terms = forms.ChoiceField(label=_("Payment terms"))
    valid_until = forms.DateField(
        label=_("Valid until"), required=False, widget=DateInput(), help_text=_("Empty: 30 days from now.")
    )
    note = forms.CharField(label=_("Note"), max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, rows: list[dict], skus: list[Variant], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["payment_terms"].choices = terms_choices()
        self.rows_initial = rows
        self.skus = skus
        self.line_errors: dict[int, str] = {}

    def line_rows(self) -> list[dict]:
        rows = []
        for i, initial in enumerate(self.rows_initial):
            get = (lambda k, i=i, initial=initial: self.data.get(f"line-{i}-{k}", "")) if self.is_bound else initial.get
            rows.append(
                {
                    "index": i,
                    "asked": initial.get("asked", ""),
                    "variant": str(get("variant") or ""),
                    "quantity": get("quantity") or "",
                    "unit_price": get("unit_price") or "",
                    "discount": get("discount") or "",
                    "error": self.line_errors.get(i, ""),
                }
            )
        return rows

    def draft(self) -> quotes.Draft | None:
        by_id = {v.pk: v for v in self.skus}
        lines = []
        for i in range(len(self.rows_initial)):
            variant_id = (self.data.get(f"line-{i}-variant") or "").strip()
            quantity = (self.data.get(f"line-{i}-quantity") or "").strip()
            price = (self.data.get(f"line-{i}-unit_price") or "").strip()
            discount = (self.data.get(f"line-{i}-discount") or "").strip() or "0"
            if not price and not variant_id:
                continue  # a line left out of this version
            variant = by_id.get(int(variant_id)) if variant_id.isdigit() else None
            if variant is None:
                self.line_errors[i] = gettext("Choose the SKU you offer for this line.")
                continue
            if not quantity.isdigit() or int(quantity) < 1:
                self.line_errors[i] = gettext("Choose a quantity of at least 1.")
                continue
            try:
                unit_price, off = Decimal(price), Decimal(discount)
            except InvalidOperation:
                self.line_errors[i] = gettext("Enter a price such as 12.50.")
                continue
            # the product's name reads better in the thread and the diff than the bare SKU (shown beside it)
            described = variant.product.display_title
            lines.append(
                quotes.LineDraft(int(quantity), unit_price, variant=variant, discount=off, description=described)
            )
        if self.line_errors:
            return None
        if not lines:
            self.add_error(None, gettext("Price at least one line."))
            return None
        data = self.cleaned_data
        valid_until = (
            timezone.make_aware(datetime.combine(data["valid_until"], time(23, 59))) if data["valid_until"] else None
        )
        return quotes.Draft(
            lines=lines,
            shipping=data["shipping"] or Decimal(0),
            payment_terms=data["payment_terms"],
            valid_until=valid_until,
            note=data["note"],
        )
