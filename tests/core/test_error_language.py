import pytest
from django.utils import translation

from tradeloop.catalog import services
from tradeloop.catalog.services import VariantInput
from tradeloop.core.errors import ValidationFailed


def refused_variant_message(merchant, language: str) -> str:
    with translation.override(language), pytest.raises(ValidationFailed) as error:
        services.create_product(
            actor=merchant.owner,
            seller=merchant,
            title="Bad",
            variants=[VariantInput(sku="A", price="10", compare_at_price="5")],
        )
    assert error.value.field == "compare_at_price"
    return error.value.message


@pytest.mark.django_db
def test_catalog_errors_speak_the_active_language(merchant):
    assert refused_variant_message(merchant, "zh-hans") == "原价不能低于售价"
    assert refused_variant_message(merchant, "en") == "original price must not be below the price"
