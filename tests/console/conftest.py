from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from PIL import Image

from tests import factories


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def owner_client(client, merchant):
    client.force_login(merchant.owner)
    return client


def login_as(client, user):
    client.force_login(user)
    return client


def url(name: str, org, *args) -> str:
    return reverse(f"console:{name}", args=[org.pk, *args])


def png(name: str = "tea.png", size=(640, 480)) -> SimpleUploadedFile:
    buffer = BytesIO()
    Image.new("RGB", size, (30, 120, 60)).save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def variant_row(sku: str, price: str = "25.00", **fields) -> dict:
    row = {"sku": sku, "name": "", "options": "", "price": price, "compare_at_price": "", "stock": "10"}
    row |= {"weight_grams": "0", "is_active": "on"}
    return row | fields


def product_form(title: str = "Longjing green tea", variants=(), initial: int = 0, **fields) -> dict:
    """POST data for the product page: product fields plus the variants formset."""
    data = {
        "title": title,
        "kind": "physical",
        "category": "",
        "condition": "new",
        "description": "",
        "attributes": "",
        "alt": "",
        "variants-TOTAL_FORMS": str(len(variants)),
        "variants-INITIAL_FORMS": str(initial),
        "variants-MIN_NUM_FORMS": "0",
        "variants-MAX_NUM_FORMS": "1000",
    }
    for index, row in enumerate(variants):
        data |= {f"variants-{index}-{key}": value for key, value in row.items()}
    return data | fields


@pytest.fixture
def staff(merchant):
    """Members of the merchant by role: staff("catalog") → a logged-out user with that role."""
    return lambda role: factories.member(merchant, role)


def queries_to_get(client, path: str, params: dict | None = None) -> int:
    """How many SQL queries one page view takes (the page must answer 200)."""
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path, params or {}).status_code == 200
    return len(captured)
