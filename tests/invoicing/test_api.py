from decimal import Decimal

from tests.api.conftest import assert_error
from tests.invoicing.conftest import ship, terms_order
from tradeloop.invoicing.models import Invoice


def test_the_buyer_lists_and_reads_its_invoices(invoiced, company_finance, api_as):
    api = api_as(company_finance)
    listed = api.get("invoices").json()
    assert [i["number"] for i in listed["items"]] == [invoiced.number]
    one = listed["items"][0]
    assert one["total"] == "1050.00" and one["open_amount"] == "1050.00" and one["state"] == "issued"
    assert one["overdue"] is False and one["seller_name"] == "Acme Electronics"
    detail = api.get(f"invoices/{invoiced.pk}").json()
    assert [line["kind"] for line in detail["lines"]] == ["item", "shipping"]
    assert api.get("invoices", {"status": "paid"}).json()["items"] == []
    assert_error(api.get("invoices", {"status": "nonsense"}), 422)


def test_another_tenant_gets_404(invoiced, stranger, api_as, rival):
    for who in (stranger, rival.owner):
        api = api_as(who)
        assert api.get("invoices").json()["items"] == []
        assert_error(api.get(f"invoices/{invoiced.pk}"), 404)
        assert_error(api.get(f"invoices/{invoiced.pk}/pdf"), 404)
        assert_error(api.post(f"invoices/{invoiced.pk}/pay"), 404)
        assert_error(api.get(f"seller/invoices/{invoiced.pk}"), 404)
        assert_error(api.post(f"seller/invoices/{invoiced.pk}/payments", {"amount": "1", "reference": "x"}), 404)


def test_the_pdf_for_both_sides(invoiced, company_finance, supplier_finance, api_as):
    for who in (company_finance, supplier_finance):
        response = api_as(who).get(f"invoices/{invoiced.pk}/pdf", {"lang": "zh-hans"})
        assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
        assert response.content.startswith(b"%PDF") and invoiced.number.encode() in response.content


def test_paying_online_is_idempotent(invoiced, company_finance, api_as, pay):
    from tradeloop.payments.models import Payment

    api = api_as(company_finance)
    first = api.post(f"invoices/{invoiced.pk}/pay", {}, HTTP_IDEMPOTENCY_KEY="pay-1")
    again = api.post(f"invoices/{invoiced.pk}/pay", {}, HTTP_IDEMPOTENCY_KEY="pay-1")
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json() and first.json()["amount"] == "1050.00"
    assert Payment.objects.filter(purpose=f"invoice:{invoiced.pk}").count() == 1
    pay(Payment.objects.get(pk=first.json()["payment_id"]))
    assert api.get(f"invoices/{invoiced.pk}").json()["state"] == "paid"
    assert_error(api.post(f"invoices/{invoiced.pk}/pay", {}), 409, "not_payable")


def test_the_seller_records_an_offline_payment(invoiced, supplier, supplier_finance, api_as):
    api = api_as(supplier_finance)
    body = {"amount": "400.00", "reference": "TT-20260301"}
    first = api.post(f"seller/invoices/{invoiced.pk}/payments", body, HTTP_IDEMPOTENCY_KEY="k1")
    again = api.post(f"seller/invoices/{invoiced.pk}/payments", body, HTTP_IDEMPOTENCY_KEY="k1")
    assert first.status_code == again.status_code == 201 and first.json() == again.json()
    assert first.json()["state"] == "partially_paid" and first.json()["open_amount"] == "650.00"
    assert first.json()["payments"][0]["reference"] == "TT-20260301"
    invoiced.refresh_from_db()
    assert invoiced.paid_amount == Decimal("400")
    assert_error(
        api.post(f"seller/invoices/{invoiced.pk}/payments", {"amount": "651", "reference": "x"}), 409, "overpaid"
    )
    assert_error(api.post(f"seller/invoices/{invoiced.pk}/payments", {"amount": "abc", "reference": "x"}), 400)
    listed = api.get("seller/invoices", {"organization": supplier.pk, "status": "unpaid"}).json()
    assert [i["id"] for i in listed["items"]] == [invoiced.pk]


def test_a_buyer_cannot_record_and_a_fulfilment_member_cannot_see(invoiced, supplier, company_finance, api_as):
    from tests.factories import member

    assert_error(
        api_as(company_finance).post(f"seller/invoices/{invoiced.pk}/payments", {"amount": "1", "reference": "x"}),
        404,
    )
    packer = api_as(member(supplier, "fulfilment"))
    assert_error(packer.get("seller/invoices", {"organization": supplier.pk}), 403)
    assert_error(packer.get(f"seller/invoices/{invoiced.pk}"), 403)


def test_list_query_budgets(
    supplier, company, company_finance, supplier_finance, api_as, django_assert_max_num_queries
):
    for _ in range(6):
        ship(terms_order(supplier=supplier, company=company, quantity=2))
    assert Invoice.objects.count() == 6
    buyer, seller = api_as(company_finance), api_as(supplier_finance)
    with django_assert_max_num_queries(6):
        assert len(buyer.get("invoices").json()["items"]) == 6
    with django_assert_max_num_queries(7):
        assert len(seller.get("seller/invoices", {"organization": supplier.pk}).json()["items"]) == 6
