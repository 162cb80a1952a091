import csv
import io
from decimal import Decimal

import pytest
from PIL import Image

from tests import factories
from tradeloop.catalog.imports import ImportFileError, RowError, import_catalog
from tradeloop.catalog.models import Product, Variant
from tradeloop.catalog.selectors import ProductFilters, storefront_products
from tradeloop.core.errors import NotFound, PermissionDenied
from tradeloop.core.models import Event

HEADER = "handle,title,sku,price,compare_at_price,stock,category,kind,options,attributes"


def csv_text(*lines: str, header: str = HEADER) -> io.StringIO:
    return io.StringIO("\n".join([header, *lines]) + "\n")


def run(seller, source, **kwargs):
    return import_catalog(actor=kwargs.pop("actor", seller.owner), seller=seller, source=source, **kwargs)


@pytest.fixture
def fruit(db):
    return factories.CategoryFactory(slug="fruit", name="Fruit")


@pytest.mark.django_db
def test_good_rows_are_kept_and_bad_rows_reported_with_row_field_and_reason(merchant, fruit):
    result = run(
        merchant,
        csv_text(
            "apples,Fuji apples,AP-1,9.90,,10,fruit,,,",  # line 2: fine
            "pears,Pears,PE-1,cheap,,5,fruit,,,",  # 3: price not a number
            "plums,Plums,PL-1,5,4,5,,,,",  # 4: original price below price
            "kiwis,Kiwis,KI-1,5,,-2,,,,",  # 5: negative stock
            "figs,Figs,FI-1,5,,1,no-such-category,,,",  # 6: unknown category
            "limes,Limes,LI-1,5,,1,,vehicle,,",  # 7: unknown kind
            "melons,,ME-1,5,,1,,,,",  # 8: no title for a new product (the handle is not a title)
            "grapes,Grapes,GR-1,12,,3,fruit,,,",  # 9: fine
        ),
    )
    assert [(e.row, e.field) for e in result.errors] == [
        (3, "price"),
        (4, "compare_at_price"),
        (5, "stock"),
        (6, "category"),
        (7, "kind"),
        (8, "title"),
    ]
    assert all(e.reason for e in result.errors)
    assert result.imported_rows == 2 and not result.ok
    assert sorted(merchant.products.values_list("title", flat=True)) == ["Fuji apples", "Grapes"]


@pytest.mark.django_db
def test_rows_with_one_handle_become_one_product_with_variants(merchant, fruit):
    result = run(
        merchant,
        csv_text(
            'apples,Fuji apples,AP-500,9.90,,40,fruit,physical,Weight=500 g,"Origin=Yantai; Grade=A"',
            "apples,,AP-1000,18.80,21.00,0,,,Weight=1 kg,",
            "apples,,AP-5000,79.00,99.00,5,,,Weight=5 kg box,",
        ),
        publish=True,
    )
    assert result.ok, result.errors
    product = Product.objects.get(seller=merchant)
    assert product.attributes == {"Origin": "Yantai", "Grade": "A"}
    assert product.category == fruit
    assert [(v.sku, v.name, v.options) for v in product.variants.order_by("position")] == [
        ("AP-500", "500 g", {"Weight": "500 g"}),
        ("AP-1000", "1 kg", {"Weight": "1 kg"}),
        ("AP-5000", "5 kg box", {"Weight": "5 kg box"}),
    ]
    # "from ¥9.90": the 500 g box is not discounted, so no original price is shown beside it
    assert (product.price_from, product.compare_at_from, product.in_stock) == (Decimal("9.90"), None, True)
    assert product.status == Product.Status.PUBLISHED and product.published_at
    page = storefront_products(filters=ProductFilters(q="Fuji"))
    assert [p.pk for p in page.items] == [product.pk]


@pytest.mark.django_db
def test_importing_the_same_file_again_updates_instead_of_duplicating(merchant, fruit):
    lines = ("apples,Fuji apples,AP-1,9.90,,10,fruit,,,", "apples,,AP-2,18.80,,5,,,,", "pears,Pears,PE-1,6,,5,,,,")
    first = run(merchant, csv_text(*lines))
    assert (first.products_created, first.variants_created) == (2, 3)
    second = run(merchant, csv_text(*lines[:2], "pears,Pears,PE-1,5.50,,0,,,,"))
    assert (second.products_created, second.variants_created) == (0, 0)
    assert (second.products_updated, second.variants_updated) == (2, 3)
    assert Product.objects.count() == 2 and Variant.objects.count() == 3
    pears = Product.objects.get(title="Pears")
    assert (pears.price_from, pears.in_stock) == (Decimal("5.50"), False)
    created = Event.objects.filter(subject_type="catalog.product", reason="created")
    assert created.count() == 2  # one "created" record per product, written once


@pytest.mark.django_db
def test_a_price_and_stock_feed_updates_variants_by_sku_alone(merchant, fruit):
    run(merchant, csv_text("apples,Fuji apples,AP-1,9.90,,10,fruit,,,", "apples,,AP-2,18.80,,5,,,,"))
    result = run(merchant, csv_text("AP-2,17.50,0", "XX-9,1,1", header="sku,price,stock"))
    assert result.errors == [RowError(3, "title", "give a title in English or in Chinese")]
    assert Variant.objects.get(sku="AP-2").price == Decimal("17.50")
    assert Variant.objects.get(sku="AP-1").stock == 10  # untouched
    assert Product.objects.count() == 1


@pytest.mark.django_db
def test_a_new_sku_under_a_known_handle_joins_that_product(merchant, fruit):
    run(merchant, csv_text("fuji-apples,Fuji apples,AP-1,9.90,,10,fruit,,,"))
    run(merchant, csv_text("fuji-apples,,AP-2,18.80,,5,,,,"))
    product = Product.objects.get()
    assert sorted(product.variants.values_list("sku", flat=True)) == ["AP-1", "AP-2"]


@pytest.mark.django_db
def test_a_sku_repeated_in_the_file_is_reported(merchant):
    result = run(merchant, csv_text("a,Apples,AP-1,9.90,,1,,,,", "b,Bananas,AP-1,3,,1,,,,"))
    assert [(e.row, e.field) for e in result.errors] == [(3, "sku")]
    assert "row 2" in result.errors[0].reason


@pytest.mark.django_db
def test_a_fulfilment_member_may_not_import(merchant):
    packer = factories.member(merchant, "fulfilment")
    with pytest.raises(PermissionDenied):
        run(merchant, csv_text("a,Apples,AP-1,9.90,,1,,,,"), actor=packer)
    assert not Product.objects.exists()


@pytest.mark.django_db
def test_an_outsider_does_not_see_the_seller(merchant, user):
    with pytest.raises(NotFound):
        run(merchant, csv_text("a,Apples,AP-1,9.90,,1,,,,"), actor=user)


@pytest.mark.django_db
def test_a_file_without_the_required_columns_imports_nothing(merchant):
    with pytest.raises(ImportFileError) as missing:
        run(merchant, io.StringIO("title,stock\nApples,3\n"))
    assert "sku" in missing.value.message and "price" in missing.value.message
    assert not Product.objects.exists()


@pytest.mark.django_db
def test_semicolon_separated_files_with_a_bom_and_quoted_newlines_are_read(merchant):
    source = io.StringIO('\ufeffTitle;SKU;Price;Description\n"Apples";AP-1;9,90;x\n"Pears";PE-1;5;"two\nlines"\n')
    result = run(merchant, source)
    assert [(e.row, e.field) for e in result.errors] == [(2, "price")]  # 9,90: a decimal comma is not a number
    assert Product.objects.get().description == "two\nlines"


@pytest.mark.django_db
def test_a_local_image_becomes_the_picture_once(merchant, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    Image.new("RGB", (64, 64), "orange").save(tmp_path / "orange.png")
    path = tmp_path / "catalog.csv"
    path.write_text("title,sku,price,image_url\nOranges,OR-1,4,orange.png\nLemons,LE-1,4,missing.png\n")
    result = run(merchant, path)
    assert [(e.row, e.field) for e in result.errors] == [(3, "image_url")]
    oranges = Product.objects.get(title="Oranges")
    assert oranges.cover.endswith(".jpg") and oranges.images.count() == 1
    again = run(merchant, path)
    assert again.images_added == 0 and oranges.images.count() == 1


def catalog_rows(products: int, sizes=("500 g", "1 kg", "5 kg box")):
    for n in range(products):
        for i, size in enumerate(sizes):
            yield {
                "handle": f"product-{n}",
                "title": f"Product {n}" if i == 0 else "",
                "sku": f"P{n}-{i}",
                "price": f"{10 + n % 50 + i * 8}.50",
                "compare_at_price": f"{20 + n % 50 + i * 8}.00" if n % 4 == 0 else "",
                "stock": str((n + i) % 30),
                "category": "fruit" if n % 2 else "",
                "options": f"Size={size}",
            }


def write_csv(rows) -> io.StringIO:
    rows = list(rows)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    out.seek(0)
    return out


@pytest.mark.django_db
def test_two_thousand_rows_import_in_batches(merchant, fruit, django_assert_max_num_queries):
    source = write_csv(catalog_rows(667))  # 2,001 rows
    seen = []
    # About 28 per chunk of 500 rows, not one per row: stock goes into the default warehouse with a movement per
    # row (inventory.import_levels), and SQLite takes bulk inserts in batches of 999 parameters.
    with django_assert_max_num_queries(150):
        result = run(merchant, source, publish=True, progress=lambda done, total: seen.append((done, total)))
    assert result.ok and result.rows == 2001
    assert (result.products_created, result.variants_created, result.published) == (667, 2001, 667)
    assert seen[0] == (0, 2001) and seen[-1] == (2001, 2001) and len(seen) > 3
    assert Variant.objects.filter(product__seller=merchant).count() == 2001
    assert not Product.objects.filter(price_from=None).exists()
    assert Product.objects.get(title="Product 4").compare_at_from == Decimal("24.00")


@pytest.mark.django_db
def test_a_file_broken_far_down_imports_nothing(merchant, tmp_path):
    """The file is checked as a whole before the first chunk is written, although it is read a chunk at a time."""
    path = tmp_path / "catalog.csv"
    good = "".join(f"h{n},Product {n},SKU-{n},5,,1,,,,\n" for n in range(1200))
    path.write_bytes((HEADER + "\n" + good).encode() + b"h-bad,Caf\xe9,SKU-X,5,,1,,,,\n")
    with pytest.raises(ImportFileError) as broken:
        run(merchant, path, chunk_rows=100)
    assert broken.value.field == "file"
    assert not Product.objects.exists()


@pytest.mark.django_db
def test_a_handle_whose_rows_are_apart_in_a_long_file_is_still_one_product(merchant):
    fillers = [f"f{n},Filler {n},F-{n},5,,1,,,," for n in range(30)]
    source = csv_text("boxes,Boxes,BX-S,5,,1,,,Size=S,", *fillers, "boxes,,BX-L,7,,1,,,Size=L,")
    result = run(merchant, source, chunk_rows=10)
    assert result.ok and result.rows == 32
    boxes = Product.objects.get(title="Boxes")
    assert sorted(boxes.variants.values_list("sku", flat=True)) == ["BX-L", "BX-S"]


@pytest.mark.django_db
def test_a_sku_repeated_chunks_apart_is_reported_with_its_first_row(merchant):
    fillers = [f"f{n},Filler {n},F-{n},5,,1,,,," for n in range(30)]
    result = run(merchant, csv_text("a,Apples,AP-1,9.90,,1,,,,", *fillers, "b,Bananas,AP-1,3,,1,,,,"), chunk_rows=10)
    assert [(e.row, e.field) for e in result.errors] == [(33, "sku")]
    assert "row 2" in result.errors[0].reason
    assert not Product.objects.filter(title="Bananas").exists()
