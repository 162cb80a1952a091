from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from tests import factories
from tradeloop.trust import services

GOOD_USCC = "91350100M000100Y43"  # check character right
BAD_USCC = "91350100M000100Y44"


def png(name: str = "licence.png", size=(40, 30)) -> SimpleUploadedFile:
    buffer = BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def pdf(name: str = "licence.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(
        name, b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n", content_type="application/pdf"
    )


COMPANY = {
    "legal_name": "Hangzhou Tea Trading Co., Ltd.",
    "registration_number": GOOD_USCC,
    "registered_address": "1 West Lake Road, Hangzhou",
    "contact_name": "Li Wei",
    "contact_phone": "+86 571 0000 0000",
    "contact_email": "li@example.com",
}


@pytest.fixture
def newcomer(db):
    """A merchant that has not been verified."""
    return factories.seller_with_owner(kind="merchant", name="Newcomer Tea", verified=False)


@pytest.fixture
def staff(db):
    return factories.UserFactory(is_staff=True, is_superuser=True)


def applied(org, **data) -> None:
    services.save_application(actor=org.owner, organization=org, data={**COMPANY, **data})
    services.add_document(actor=org.owner, organization=org, kind="business_licence", upload=png())


def submitted(org, **data):
    applied(org, **data)
    return services.submit(actor=org.owner, organization=org)
