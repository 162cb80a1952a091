"""An invoice as a PDF (reportlab), labels in the reader's language. Chinese text is set in reportlab's built-in
CID font STSong-Light (no font file to ship; PDF readers supply the glyphs); Latin text in Helvetica."""

from __future__ import annotations

import io
from decimal import Decimal
from xml.sax.saxutils import escape

from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from tradeloop.core.money import format_money
from tradeloop.invoicing.models import Invoice

CJK_FONT = "STSong-Light"
LATIN_FONT = "Helvetica"
LATIN_BOLD = "Helvetica-Bold"
_registered = False


def _register() -> None:
    global _registered
    if not _registered:
        pdfmetrics.registerFont(UnicodeCIDFont(CJK_FONT))
        _registered = True


def _needs_cjk(text: str) -> bool:
    return any(ord(ch) > 0x2FF for ch in text)


def _p(text, *, size: float = 9, bold: bool = False, right: bool = False, color=colors.black) -> Paragraph:
    text = str(text or "")
    font = CJK_FONT if _needs_cjk(text) else (LATIN_BOLD if bold else LATIN_FONT)
    style = ParagraphStyle(
        "cell", fontName=font, fontSize=size, leading=size * 1.35, alignment=TA_RIGHT if right else 0, textColor=color
    )
    body = escape(text).replace("\n", "<br/>")
    return Paragraph(f"<b>{body}</b>" if bold and font == CJK_FONT else body, style)


def _money(amount: Decimal, currency: str, language: str) -> str:
    return format_money(amount, currency, language)


def _date(value) -> str:
    return formats.date_format(timezone.localtime(value), "Y-m-d")


def _party(title: str, details: dict) -> list:
    lines = [details.get("name", ""), details.get("address", ""), details.get("city", ""), details.get("email", "")]
    lines.append(details.get("phone", ""))
    if details.get("contact"):
        lines.append(_("Attn: %(name)s") % {"name": details["contact"]})
    return [_p(title, size=8, color=colors.grey), _p("\n".join(line for line in lines if line))]


def render_pdf(invoice: Invoice, language: str) -> bytes:
    """The invoice, lines and payments, as PDF bytes, in `language` ("en" or "zh-hans")."""
    _register()
    with translation.override(language):
        return _render(invoice, translation.get_language() or "en")


def _render(invoice: Invoice, language: str) -> bytes:
    out = io.BytesIO()
    title = _("Invoice %(number)s") % {"number": invoice.number}
    doc = SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=18 * mm,
        bottomMargin=18 * mm,
        title=invoice.number,
        author=invoice.seller_details.get("name", ""),
        subject=title,
    )
    currency = invoice.currency
    money = lambda amount: _money(amount, currency, language)  # noqa: E731
    story = [
        _p(invoice.get_kind_display(), size=16, bold=True),
        _p(invoice.number, size=12, bold=True),
        Spacer(1, 4 * mm),
    ]
    facts = [
        [_p(_("Issued")), _p(_date(invoice.issued_at))],
        [_p(_("Due")), _p(_date(invoice.due_at))],
        [_p(_("Order")), _p(invoice.order.number)],
        [_p(_("Payment terms")), _p(_terms_label(invoice.payment_terms))],
        [_p(_("Status")), _p(_status(invoice))],
    ]
    parties = Table(
        [[_party(_("From"), invoice.seller_details), _party(_("Bill to"), invoice.buyer_details), Table(facts)]],
        colWidths=[58 * mm, 58 * mm, 58 * mm],
    )
    parties.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
    story += [parties, Spacer(1, 6 * mm)]
    rows = [
        [
            _p(_("SKU"), bold=True),
            _p(_("Description"), bold=True),
            _p(_("Qty"), bold=True, right=True),
            _p(_("Unit price"), bold=True, right=True),
            _p(_("Amount"), bold=True, right=True),
        ]
    ]
    for line in invoice.lines.all():
        rows.append(
            [
                _p(line.sku),
                _p(line.description),
                _p(line.quantity, right=True),
                _p(money(line.unit_price), right=True),
                _p(money(line.amount), right=True),
            ]
        )
    rows.append(["", _p(_("Total"), bold=True), "", "", _p(money(invoice.total), bold=True, right=True)])
    rows.append(["", _p(_("Paid")), "", "", _p(money(invoice.paid_amount), right=True)])
    rows.append(["", _p(_("Left to pay"), bold=True), "", "", _p(money(invoice.open_amount), bold=True, right=True)])
    table = Table(rows, colWidths=[28 * mm, 72 * mm, 16 * mm, 29 * mm, 29 * mm], repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("LINEBELOW", (0, 0), (-1, 0), 0.8, colors.black),
                ("LINEBELOW", (0, -4), (-1, -4), 0.5, colors.grey),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    story.append(table)
    payments = list(invoice.payments.all())
    if payments:
        story += [Spacer(1, 6 * mm), _p(_("Payments received"), bold=True, size=10)]
        prows = [
            [_p(_date(p.received_at)), _p(p.get_method_display()), _p(p.reference), _p(money(p.amount), right=True)]
            for p in payments
        ]
        story.append(Table(prows, colWidths=[30 * mm, 30 * mm, 84 * mm, 30 * mm]))
    story += [
        Spacer(1, 8 * mm),
        _p(
            _("Please pay by %(date)s, quoting %(number)s. Pay online from your Invoices page, or by bank transfer.")
            % {"date": _date(invoice.due_at), "number": invoice.number},
            size=8,
            color=colors.grey,
        ),
    ]
    doc.build(story)
    return out.getvalue()


def _terms_label(code: str) -> str:
    from tradeloop.orders.terms import parse_terms

    try:
        return parse_terms(code).label
    except Exception:  # noqa: BLE001 - an old code still prints
        return code


def _status(invoice: Invoice) -> str:
    if invoice.overdue:
        return _("Overdue by %(days)s days") % {"days": invoice.days_overdue}
    return str(invoice.get_state_display())
