"""`tradeloop import-catalog`: exit 0 when every row imported, 1 when some rows failed, 2 for bad usage."""

import csv

import pytest

from tests import factories
from tradeloop.catalog.models import Product
from tradeloop.cli import main


@pytest.fixture
def catalog_file(tmp_path):
    def write(*rows: str, header: str = "handle,title,sku,price,stock") -> str:
        path = tmp_path / "catalog.csv"
        path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
        return str(path)

    return write


@pytest.mark.django_db
def test_a_clean_file_imports_and_exits_0(merchant, catalog_file, capsys):
    path = catalog_file("apples,Fuji apples,AP-1,9.90,10", "apples,,AP-2,18.80,4")
    assert main(["import-catalog", path, "--seller", merchant.slug, "--publish"]) == 0
    out = capsys.readouterr().out
    assert "2 of 2 rows imported" in out and "1 products created" in out
    assert Product.objects.get().status == Product.Status.PUBLISHED


@pytest.mark.django_db
def test_bad_rows_are_listed_with_row_field_reason_and_exit_1(merchant, catalog_file, capsys, tmp_path):
    path = catalog_file("apples,Fuji apples,AP-1,9.90,10", "pears,Pears,PE-1,abc,4", "plums,Plums,PL-1,3,-1")
    errors_csv = tmp_path / "errors.csv"
    code = main(["import-catalog", path, "--seller", merchant.slug, "--errors-csv", str(errors_csv)])
    assert code == 1
    out = capsys.readouterr().out
    assert "1 of 3 rows imported" in out and "2 problems" in out
    assert "'abc' is not a number" in out and "stock cannot be negative" in out
    with errors_csv.open() as problems:
        assert [(r["row"], r["field"]) for r in csv.DictReader(problems)] == [("3", "price"), ("4", "stock")]
    assert Product.objects.get().title == "Fuji apples"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "case, message",
    [
        ("unknown seller", "no organization with the slug"),
        ("missing file", "no such file"),
        ("missing columns", "missing required column(s): price"),
        ("unknown user", "no active user"),
        ("fulfilment role", "does not allow catalog.manage"),
    ],
)
def test_bad_usage_exits_2_and_imports_nothing(merchant, catalog_file, capsys, tmp_path, case, message):
    args = ["import-catalog", catalog_file("apples,Fuji apples,AP-1,9.90,10"), "--seller", merchant.slug]
    if case == "unknown seller":
        args[3] = "nobody-sells-here"
    elif case == "missing file":
        args[1] = str(tmp_path / "nope.csv")
    elif case == "missing columns":
        args[1] = catalog_file("Fuji apples,AP-1", header="title,sku")
    elif case == "unknown user":
        args += ["--as", "ghost@example.com"]
    elif case == "fulfilment role":
        args += ["--as", factories.member(merchant, "fulfilment").email]
    assert main(args) == 2
    assert message in " ".join(capsys.readouterr().err.split())
    assert not Product.objects.exists()


@pytest.mark.django_db
def test_usage_errors_from_argparse_exit_2(capsys):
    with pytest.raises(SystemExit) as exited:
        main(["import-catalog", "file.csv"])  # --seller is required
    assert exited.value.code == 2
