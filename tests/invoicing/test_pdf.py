import re

from tradeloop.invoicing.pdf import render_pdf


def _valid(pdf: bytes) -> None:
    assert pdf.startswith(b"%PDF-1.") and pdf.rstrip().endswith(b"%%EOF")
    assert b"/Type /Catalog" in pdf and re.search(rb"/Count [1-9]", pdf)


def test_the_pdf_is_a_pdf_with_the_invoice_number(invoiced):
    pdf = render_pdf(invoiced, "en")
    _valid(pdf)
    assert f"/Title ({invoiced.number})".encode() in pdf
    assert b"Helvetica" in pdf


def test_in_chinese_the_labels_use_the_cid_font(invoiced):
    invoiced.lines.filter(kind="item").update(description="24位模数转换器")
    pdf = render_pdf(invoiced, "zh-hans")
    _valid(pdf)
    assert invoiced.number.encode() in pdf
    assert b"STSong-Light" in pdf
