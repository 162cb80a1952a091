from decimal import Decimal

from tests.factories import member
from tests.invoicing.conftest import ship, terms_order
from tradeloop.invoicing.models import Invoice
from tradeloop.payments.models import Payment


def test_the_buyer_sees_its_invoices_and_the_detail(client, invoiced, company_finance):
    client.force_login(company_finance)
    page = client.get("/invoices/")
    assert page.status_code == 200 and invoiced.number in page.content.decode()
    assert 'href="/invoices/"' in page.content.decode()  # the account menu lists Invoices
    detail = client.get(f"/invoices/{invoiced.pk}/").content.decode()
    assert "1,050.00 online" in detail and "Download PDF" in detail
    pdf = client.get(f"/invoices/{invoiced.pk}/pdf/")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")


def test_in_chinese(client, invoiced, company_finance):
    client.force_login(company_finance)
    client.cookies["django_language"] = "zh-hans"
    assert "发票" in client.get("/invoices/", headers={"accept-language": "zh-hans"}).content.decode()


def test_pay_online_goes_to_the_provider_and_the_capture_pays(client, invoiced, company_finance, pay):
    client.force_login(company_finance)
    response = client.post(f"/invoices/{invoiced.pk}/pay/", {"idempotency_key": "web-1"})
    again = client.post(f"/invoices/{invoiced.pk}/pay/", {"idempotency_key": "web-1"})
    assert response.status_code == again.status_code == 302 and response["Location"] == again["Location"]
    payment = Payment.objects.get(purpose=f"invoice:{invoiced.pk}")
    pay(payment)
    invoiced.refresh_from_db()
    assert invoiced.state == Invoice.State.PAID
    assert "Pay" not in client.get(f"/invoices/{invoiced.pk}/").content.decode().split("Download PDF")[1][:200]


def test_other_people_get_404(client, invoiced, stranger, supplier):
    client.force_login(stranger)
    assert client.get(f"/invoices/{invoiced.pk}/").status_code == 404
    assert client.get(f"/invoices/{invoiced.pk}/pdf/").status_code == 404
    assert client.post(f"/invoices/{invoiced.pk}/pay/").status_code == 404
    assert client.get(f"/console/{supplier.pk}/invoices/{invoiced.pk}/").status_code == 404
    client.force_login(member(supplier, "fulfilment"))
    assert client.get(f"/console/{supplier.pk}/invoices/").status_code == 403


def test_the_supplier_records_a_bank_transfer(client, invoiced, supplier, supplier_finance):
    client.force_login(supplier_finance)
    url = f"/console/{supplier.pk}/invoices/{invoiced.pk}/"
    assert "Record a payment received" in client.get(url).content.decode()
    form = {"amount": "400.00", "reference": "TT-778", "idempotency_key": "rec-1"}
    assert client.post(url, form).status_code == 302
    assert client.post(url, form).status_code == 302  # a double submit records it once
    invoiced.refresh_from_db()
    assert invoiced.paid_amount == Decimal("400") and invoiced.state == Invoice.State.PARTIALLY_PAID
    too_much = client.post(url, {"amount": "9999", "reference": "x", "idempotency_key": "rec-2"})
    assert too_much.status_code == 400 and "more than is open" in too_much.content.decode()
    page = client.get(f"/console/{supplier.pk}/invoices/?status=unpaid").content.decode()
    assert invoiced.number in page
    assert client.get(f"/console/{supplier.pk}/invoices/{invoiced.pk}/pdf/").content.startswith(b"%PDF")


def test_overdue_shows_in_the_console_with_a_badge(client, invoiced, supplier, supplier_finance, clock):
    clock.advance(days=31)
    client.force_login(supplier_finance)
    page = client.get(f"/console/{supplier.pk}/invoices/?status=overdue").content.decode()
    assert invoiced.number in page and "Overdue 1 day" in page
    assert 'badge badge-danger">1<' in page  # the Overdue tab counts them


def test_list_page_query_budgets(
    client, supplier, company, company_finance, supplier_finance, django_assert_max_num_queries
):
    for _ in range(6):
        ship(terms_order(supplier=supplier, company=company, quantity=2))
    client.force_login(company_finance)
    with django_assert_max_num_queries(12):
        assert client.get("/invoices/").status_code == 200
    client.force_login(supplier_finance)
    with django_assert_max_num_queries(16):
        assert client.get(f"/console/{supplier.pk}/invoices/").status_code == 200
