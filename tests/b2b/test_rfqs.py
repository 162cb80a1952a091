"""RFQs: a purchaser asks one supplier or a category's suppliers; files; who sees them; closing by count and time."""
# ruff: noqa: F811 - the fixtures imported from tests.b2b.quoting are arguments of the tests

import importlib
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from tests import factories
from tests.b2b.quoting import category, company, direct_rfq, purchaser, quote, rfq_in, sku, supplier, terms  # noqa: F401
from tradeloop.b2b import quotes, rfq_selectors, rfqs
from tradeloop.b2b.models import Rfq, RfqAttachment
from tradeloop.b2b.rfq_storage import private_root
from tradeloop.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4 drawing"


def clock_now():
    from tradeloop.core import clock

    return clock.now()


def soon() -> str:
    return (clock_now() + timedelta(days=10)).date().isoformat()


def pdf(name="drawing.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def test_a_direct_rfq_for_a_sku_with_a_file(purchaser, company, supplier, sku):
    rfq = rfqs.create_rfq(
        actor=purchaser,
        buyer_org=company,
        data=rfq_in(
            supplier=supplier,
            lines=[
                rfqs.RfqLineIn(quantity=500, variant=sku, target_price=Decimal("15.00")),
                rfqs.RfqLineIn(quantity=20, description="Evaluation boards"),
            ],
            files=[pdf()],
        ),
    )
    assert (rfq.state, rfq.supplier, rfq.currency, rfq.max_quotes) == ("open", supplier, "CNY", 1)
    lines = list(rfq.lines.all())
    assert [(line.variant, line.quantity) for line in lines] == [(sku, 500), (None, 20)]
    assert "24-bit AD converter" in lines[0].description
    attachment = rfq.attachments.get()
    assert attachment.name == "drawing.pdf" and attachment.file.read() == PDF
    assert attachment.file.name.startswith(f"rfq/{rfq.pk}/")
    assert rfq_selectors.supplier_inbox(supplier.owner, supplier).items == [rfq]


def test_an_open_rfq_reaches_the_suppliers_of_its_category(purchaser, company, category, sku, supplier):
    parent = category.parent
    rfq = rfqs.create_rfq(actor=purchaser, buyer_org=company, data=rfq_in(category=parent))
    assert rfq.max_quotes == 10 and rfq.supplier is None
    assert [r.pk for r in rfq_selectors.supplier_inbox(supplier.owner, supplier).items] == [rfq.pk]
    elsewhere = factories.seller_with_owner(kind="supplier")
    factories.published_product(seller=elsewhere, category=factories.CategoryFactory(slug="food", name="Food"))
    assert rfq_selectors.supplier_inbox(elsewhere.owner, elsewhere).items == []
    with pytest.raises(NotFound):
        rfq_selectors.rfq_for_supplier(elsewhere.owner, elsewhere, rfq.pk)
    with pytest.raises(NotFound):
        quotes.submit_quote(actor=elsewhere.owner, rfq_id=rfq.pk, supplier=elsewhere, draft=terms(sku))


def test_an_open_rfq_line_names_goods_not_one_sellers_sku(purchaser, company, category, sku):
    rfq = rfqs.create_rfq(
        actor=purchaser, buyer_org=company, data=rfq_in(category=category, lines=[rfqs.RfqLineIn(100, variant=sku)])
    )
    line = rfq.lines.get()
    assert line.variant is None and sku.sku in line.description


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({}, "supplier"),  # neither a supplier nor a category
        ({"lines": []}, "lines"),
        ({"lines": [rfqs.RfqLineIn(quantity=0, description="x")]}, "lines.0.quantity"),
        ({"lines": [rfqs.RfqLineIn(quantity=1)]}, "lines.0.description"),
        ({"lines": [rfqs.RfqLineIn(quantity=1, description="x", target_price=Decimal("-1"))]}, "lines.0.target_price"),
        ({"title": "  "}, "title"),
        ({"max_quotes": 0}, "max_quotes"),
    ],
)
def test_bad_rfqs_are_refused_naming_the_field(purchaser, company, category, overrides, field):
    data = rfq_in(**overrides)
    if field != "supplier":
        data.category = category
    with pytest.raises(ValidationFailed) as e:
        rfqs.create_rfq(actor=purchaser, buyer_org=company, data=data)
    assert e.value.field == field and not Rfq.objects.exists()


def test_deadline_and_required_by_are_in_the_future(purchaser, company, category, clock):
    with pytest.raises(ValidationFailed) as e:
        rfqs.create_rfq(actor=purchaser, buyer_org=company, data=rfq_in(category=category, deadline=clock.now()))
    assert e.value.field == "deadline"
    yesterday = (clock.now() - timedelta(days=1)).date()
    with pytest.raises(ValidationFailed) as e:
        rfqs.create_rfq(actor=purchaser, buyer_org=company, data=rfq_in(category=category, required_by=yesterday))
    assert e.value.field == "required_by"


def test_only_a_purchaser_sends_rfqs_and_not_to_its_own_organization(company, supplier, category):
    with pytest.raises(PermissionDenied):
        rfqs.create_rfq(actor=factories.member(company, "finance"), buyer_org=company, data=rfq_in(category=category))
    with pytest.raises(NotFound):
        rfqs.create_rfq(actor=factories.UserFactory(), buyer_org=company, data=rfq_in(category=category))
    with pytest.raises(ValidationFailed) as e:
        rfqs.create_rfq(actor=supplier.owner, buyer_org=supplier, data=rfq_in(supplier=supplier))
    assert e.value.field == "supplier"


@pytest.mark.parametrize(
    ("upload", "code"),
    [
        (SimpleUploadedFile("run.exe", b"MZ", content_type="application/octet-stream"), "file_type"),
        (SimpleUploadedFile("fake.pdf", b"MZ not a pdf", content_type="application/pdf"), "file_type"),
        (
            SimpleUploadedFile("big.pdf", PDF + b"0" * (5 * 1024 * 1024), content_type="application/pdf"),
            "file_too_large",
        ),
    ],
)
def test_files_are_limited_in_type_and_size(purchaser, company, category, upload, code):
    with pytest.raises(ValidationFailed) as e:
        rfqs.create_rfq(actor=purchaser, buyer_org=company, data=rfq_in(category=category, files=[upload]))
    assert (e.value.code, e.value.field) == (code, "files.0") and not Rfq.objects.exists()


def test_at_most_five_files(purchaser, company, category):
    rfq = rfqs.create_rfq(actor=purchaser, buyer_org=company, data=rfq_in(category=category, files=[pdf()] * 0))
    rfqs.add_files(actor=purchaser, rfq_id=rfq.pk, files=[pdf(f"{i}.pdf") for i in range(5)])
    with pytest.raises(ValidationFailed) as e:
        rfqs.add_files(actor=purchaser, rfq_id=rfq.pk, files=[pdf()])
    assert e.value.code == "too_many_files" and rfq.attachments.count() == 5


def test_the_rfq_closes_after_max_quotes(purchaser, company, category, sku, supplier, settings):
    settings.TRADELOOP_RFQ_MAX_QUOTES = 2
    rfq = rfqs.create_rfq(actor=purchaser, buyer_org=company, data=rfq_in(category=category))
    assert rfq.max_quotes == 2
    quotes.submit_quote(actor=supplier.owner, rfq_id=rfq.pk, supplier=supplier, draft=terms(sku))
    with pytest.raises(Conflict) as e:
        quotes.submit_quote(actor=supplier.owner, rfq_id=rfq.pk, supplier=supplier, draft=terms(sku))
    assert e.value.code == "already_quoted"
    other = factories.seller_with_owner(kind="supplier")
    other_sku = factories.published_product(seller=other, category=category).variants.get()
    quotes.submit_quote(actor=other.owner, rfq_id=rfq.pk, supplier=other, draft=terms(other_sku))
    rfq.refresh_from_db()
    assert (rfq.state, rfq.quote_count) == ("closed", 2)
    third = factories.seller_with_owner(kind="supplier")
    third_sku = factories.published_product(seller=third, category=category).variants.get()
    with pytest.raises(Conflict) as e:
        quotes.submit_quote(actor=third.owner, rfq_id=rfq.pk, supplier=third, draft=terms(third_sku))
    assert e.value.code == "rfq_closed"


def test_the_rfq_closes_at_its_deadline(direct_rfq, supplier, sku, clock):
    clock.advance(days=6, hours=23)
    assert rfqs.sweep_rfq_deadlines(clock.now()) == 0
    clock.advance(hours=2)
    with pytest.raises(Conflict) as e:  # refused at once, before the sweep ran
        quotes.submit_quote(actor=supplier.owner, rfq_id=direct_rfq.pk, supplier=supplier, draft=terms(sku))
    assert e.value.code == "rfq_closed"
    assert rfqs.sweep_rfq_deadlines(clock.now()) == 1
    assert rfqs.sweep_rfq_deadlines(clock.now()) == 0
    direct_rfq.refresh_from_db()
    assert direct_rfq.state == "closed" and direct_rfq.closed_at is not None


def test_the_buyer_cancels(direct_rfq, purchaser, company, supplier, sku):
    with pytest.raises(NotFound):
        rfqs.cancel_rfq(actor=supplier.owner, rfq_id=direct_rfq.pk)
    colleague = factories.member(company, "buyer")
    assert rfqs.cancel_rfq(actor=colleague, rfq_id=direct_rfq.pk).state == "cancelled"
    with pytest.raises(Conflict):
        rfqs.cancel_rfq(actor=purchaser, rfq_id=direct_rfq.pk)


# --- web --------------------------------------------------------------------------------------------------------


def test_request_a_quote_from_a_product(client, purchaser, company, supplier, sku):
    client.force_login(purchaser)
    page = client.get(f"/rfqs/new/?variant={sku.pk}&quantity=250")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'value="250"' in html and f'value="{sku.pk}"' in html and "Acme Components" in html
    form = {
        "organization": company.pk,
        "title": "Converters",
        "audience": "direct",
        "supplier": supplier.pk,
        "currency": "CNY",
        "deadline": soon(),
        "line-0-variant": sku.pk,
        "line-0-quantity": "250",
        "line-0-target_price": "15.50",
        "files": [pdf()],
    }
    done = client.post("/rfqs/new/", form)
    rfq = Rfq.objects.get()
    assert done.status_code == 302 and done["Location"] == f"/rfqs/{rfq.pk}/"
    assert rfq.lines.get().target_price == Decimal("15.50") and rfq.attachments.count() == 1
    detail = client.get(done["Location"])
    assert "drawing.pdf" in detail.content.decode()
    download = client.get(f"/rfqs/{rfq.pk}/files/{rfq.attachments.get().pk}/")
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    client.force_login(factories.UserFactory())
    assert client.get(f"/rfqs/{rfq.pk}/files/{rfq.attachments.get().pk}/").status_code == 404
    assert client.get(f"/rfqs/{rfq.pk}/").status_code == 404


def test_restocking_ones_own_sku_opens_an_rfq_in_its_category(client, category):
    merchant = factories.seller_with_owner(kind="merchant")
    own = factories.published_product(seller=merchant, title="Meter", category=category).variants.get()
    client.force_login(merchant.owner)
    html = client.get(f"/rfqs/new/?variant={own.pk}&quantity=40").content.decode()
    assert 'value="open" required id="id_audience_1" checked' in html
    assert f'<option value="{category.pk}" selected>' in html
    assert 'value="40"' in html


def test_the_form_shows_errors_on_the_lines(client, purchaser, company, category):
    client.force_login(purchaser)
    bad = {"organization": company.pk, "title": "x", "audience": "open", "category": category.pk, "currency": "CNY"}
    bad |= {"deadline": soon(), "line-0-description": "Cable", "line-0-quantity": "0"}
    page = client.post("/rfqs/new/", bad)
    assert page.status_code == 400 and "at least 1" in page.content.decode() and not Rfq.objects.exists()


def test_someone_without_purchasing_is_told_so(client):
    client.force_login(factories.UserFactory())
    assert client.get("/rfqs/new/").status_code == 403


def test_my_rfqs_page_costs_the_same_queries_however_many(
    client, purchaser, company, category, django_assert_max_num_queries
):
    client.force_login(purchaser)
    rfqs.create_rfq(actor=purchaser, buyer_org=company, data=rfq_in(category=category))
    with django_assert_max_num_queries(20) as one:
        assert client.get("/rfqs/").status_code == 200
    for _ in range(5):
        rfqs.create_rfq(actor=purchaser, buyer_org=company, data=rfq_in(category=category, files=[pdf()]))
    with django_assert_max_num_queries(len(one.captured_queries)):
        assert client.get("/rfqs/").status_code == 200


def test_the_console_inbox_costs_the_same_queries(
    client, supplier, purchaser, company, category, sku, django_assert_max_num_queries
):
    client.force_login(supplier.owner)
    rfqs.create_rfq(actor=purchaser, buyer_org=company, data=rfq_in(category=category))
    url = f"/console/{supplier.pk}/quotes/?tab=all"
    with django_assert_max_num_queries(30) as one:
        assert client.get(url).status_code == 200
    for _ in range(5):
        rfqs.create_rfq(actor=purchaser, buyer_org=company, data=rfq_in(supplier=supplier))
    with django_assert_max_num_queries(len(one.captured_queries)):
        page = client.get(url)
    assert page.content.decode().count("AD converters for the new meter") == 6


# --- API --------------------------------------------------------------------------------------------------------


def test_api_create_list_and_tenancy(client, purchaser, company, supplier, sku, django_assert_max_num_queries):
    client.force_login(purchaser)
    body = {
        "organization": company.pk,
        "title": "Converters",
        "supplier": supplier.pk,
        "deadline": (clock_now() + timedelta(days=10)).isoformat(),
        "lines": [{"variant_id": sku.pk, "quantity": 100, "target_price": "15.5"}],
    }
    made = client.post("/api/v1/rfqs", body, content_type="application/json")
    assert made.status_code == 201, made.content
    out = made.json()
    assert out["supplier"]["id"] == supplier.pk and out["lines"][0]["sku"] == sku.sku
    assert out["lines"][0]["target_price"] == "15.5000"
    bad = client.post("/api/v1/rfqs", {**body, "supplier": None}, content_type="application/json")
    assert (bad.status_code, bad.json()["code"]) == (400, "rfq_audience")
    for _ in range(3):
        client.post("/api/v1/rfqs", body, content_type="application/json")
    with django_assert_max_num_queries(12):
        listed = client.get("/api/v1/rfqs")
    assert len(listed.json()["items"]) == 4
    client.force_login(supplier.owner)
    inbox = client.get(f"/api/v1/seller/rfqs?organization={supplier.pk}")
    assert len(inbox.json()["items"]) == 4
    assert client.get(f"/api/v1/rfqs/{out['id']}").status_code == 200
    stranger = factories.seller_with_owner(kind="supplier")
    client.force_login(stranger.owner)
    assert client.get(f"/api/v1/rfqs/{out['id']}").status_code == 404
    assert client.get(f"/api/v1/rfqs/{out['id']}/quotes").status_code == 404
    assert client.get(f"/api/v1/seller/rfqs?organization={supplier.pk}").status_code == 404


def test_api_attachments(client, purchaser, direct_rfq):
    client.force_login(purchaser)
    done = client.post(f"/api/v1/rfqs/{direct_rfq.pk}/attachments", {"files": [pdf()]})
    assert done.status_code == 201, done.content
    assert done.json()["attachments"][0]["name"] == "drawing.pdf"
    bad = client.post(f"/api/v1/rfqs/{direct_rfq.pk}/attachments", {"files": [pdf("x.pdf", b"nope")]})
    assert (bad.status_code, bad.json()["code"]) == (400, "file_type")


def test_rfq_files_are_private_and_only_their_parties_download_them(client, purchaser, company, category, sku):
    colleague = factories.member(company, "buyer")
    rfq = rfqs.create_rfq(actor=purchaser, buyer_org=company, data=rfq_in(category=category, files=[pdf()]))
    attachment = rfq.attachments.get()
    on_disk = Path(attachment.file.path).resolve()
    assert on_disk.read_bytes() == PDF
    assert on_disk.is_relative_to(private_root().resolve())
    assert not on_disk.is_relative_to(Path(settings.MEDIA_ROOT).resolve())
    with pytest.raises(ValueError):
        attachment.file.url  # noqa: B018 - a private file has no public address
    address = f"/rfqs/{rfq.pk}/files/{attachment.pk}/"
    in_category = sku.product.seller  # sells in the RFQ's category: may quote, so may read the drawing
    elsewhere = factories.seller_with_owner(kind="supplier")
    factories.published_product(seller=elsewhere, category=factories.CategoryFactory(slug="food", name="Food"))
    for who in (purchaser, colleague, factories.member(company, "finance"), in_category.owner):
        client.force_login(who)
        got = client.get(address)
        assert got.status_code == 200 and b"".join(got.streaming_content) == PDF
        assert (
            got["Content-Disposition"].startswith("attachment;")
            and 'filename="drawing.pdf"' in got["Content-Disposition"]
        )
        assert got["X-Content-Type-Options"] == "nosniff" and got["Content-Type"] == "application/pdf"
    for who in (factories.UserFactory(), elsewhere.owner):
        client.force_login(who)
        assert client.get(address).status_code == 404
    client.logout()
    assert client.get(address).status_code == 302  # to sign in
    client.force_login(purchaser)
    assert client.get(f"/rfqs/{rfq.pk + 1}/files/{attachment.pk}/").status_code == 404  # another RFQ's address
    assert client.get(f"/media/{attachment.file.name}").status_code == 404


def test_migration_moves_files_out_of_the_media_folder(purchaser, company, category):
    rfq = rfqs.create_rfq(actor=purchaser, buyer_org=company, data=rfq_in(category=category))
    old_name = f"rfqs/{rfq.pk}/tok3n/spec.txt"
    old_file = Path(settings.MEDIA_ROOT) / old_name
    old_file.parent.mkdir(parents=True, exist_ok=True)
    old_file.write_bytes(b"spec")
    attachment = RfqAttachment.objects.create(
        rfq=rfq, file=old_name, name="spec.txt", content_type="text/plain", size=4, uploaded_by=purchaser
    )
    migration = importlib.import_module("tradeloop.b2b.migrations.0003_rfq_files_private")
    migration.move_into_private(apps, None)
    attachment.refresh_from_db()
    assert attachment.file.name == f"rfq/{rfq.pk}/tok3n/spec.txt" and attachment.file.read() == b"spec"
    assert not old_file.exists()
