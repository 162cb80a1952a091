"""The operator back office names every app and model in the operator's language."""

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import translation

from tests import factories


def tradeloop_apps():
    return [config for config in apps.get_app_configs() if config.name.startswith("tradeloop.")]


def names(config) -> list[str]:
    models = config.get_models()
    return [str(config.verbose_name)] + [
        str(n) for m in models for n in (m._meta.verbose_name, m._meta.verbose_name_plural)
    ]


def test_every_app_and_model_name_reads_in_chinese():
    for config in tradeloop_apps():
        with translation.override("en"):
            english = names(config)
        with translation.override("zh-hans"):
            chinese = names(config)
        untranslated = [e for e, z in zip(english, chinese, strict=True) if e == z]
        assert not untranslated, f"{config.label}: {untranslated}"


@pytest.mark.django_db
def test_the_admin_index_is_in_chinese(client):
    client.force_login(factories.UserFactory(is_staff=True, is_superuser=True))
    client.post(reverse("set_language"), {"language": "zh-hans", "next": "/"})
    page = client.get(reverse("admin:index")).content.decode()
    assert "商品管理" in page and "商品图片" in page and "订单明细" in page
    assert "Catalog" not in page and "Product images" not in page
