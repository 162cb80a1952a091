"""The operator back office: every model is there, every list and search page answers."""

import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse

from tests import factories


@pytest.fixture
def operator(client, db):
    staff = factories.UserFactory(is_staff=True, is_superuser=True)
    client.force_login(staff)
    return client


def tradeloop_models():
    return [m for m in apps.get_models() if m.__module__.startswith("tradeloop.")]


@pytest.mark.django_db
def test_every_tradeloop_model_is_registered():
    missing = [m.__name__ for m in tradeloop_models() if m not in admin.site._registry]
    assert missing == []


@pytest.mark.django_db
def test_every_changelist_and_search_answers(operator, product):
    for model, model_admin in admin.site._registry.items():
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        assert operator.get(url).status_code == 200, url
        if model_admin.search_fields:
            assert operator.get(url, {"q": "apple"}).status_code == 200, url


@pytest.mark.django_db
def test_product_change_page_shows_variants(operator, product):
    page = operator.get(reverse("admin:catalog_product_change", args=[product.pk]))
    assert page.status_code == 200
    assert b"SKU-0" in page.content


@pytest.mark.django_db
def test_product_changelist_query_budget(operator, merchant, django_assert_max_num_queries):
    for i in range(40):
        factories.published_product(seller=merchant, title=f"Pear {i}")
    with django_assert_max_num_queries(12):
        assert operator.get(reverse("admin:catalog_product_changelist")).status_code == 200
