"""The storefront promises only what works: goods whose modes are not built yet (listings, local deals, services)
say so on their page and offer what works today, a question to the seller; physical goods go in the cart."""

import pytest
from django.urls import reverse

from tests import factories


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("kind", "says"),
    [
        ("deal", "Local deals can't be bought online yet."),
        ("service", "Services can't be booked online yet."),
        ("listing", "Offers on second-hand items aren't open yet."),
    ],
)
def test_goods_of_modes_still_to_come_say_so_and_offer_the_seller(client, merchant, kind, says):
    product = factories.published_product(merchant, title="Hotpot for two", kind=kind)
    page = client.get(reverse("storefront:product", args=[product.pk, product.slug])).content.decode()
    assert says in page and "data-not-sold-online" in page
    assert reverse("conversations:ask_product", args=[product.pk]) in page
    assert reverse("checkout:add") not in page


@pytest.mark.django_db
def test_physical_goods_go_in_the_cart_without_a_caveat(client, product):
    page = client.get(reverse("storefront:product", args=[product.pk, product.slug])).content.decode()
    assert reverse("checkout:add") in page and "data-not-sold-online" not in page


@pytest.mark.django_db
def test_the_home_page_marks_the_strips_of_modes_still_to_come(client, merchant):
    factories.published_product(merchant, title="Hotpot for two", kind="deal")
    factories.published_product(merchant, title="Fuji apples")
    page = client.get(reverse("storefront:home")).content.decode()
    assert page.count("buying these online opens soon") == 1  # under the deals, not under the physical goods
    assert "source in bulk" not in page


@pytest.mark.django_db
def test_asking_the_seller_about_a_deal_works(client, merchant, user):
    deal = factories.published_product(merchant, title="Hotpot for two", kind="deal")
    client.force_login(user)
    ask = reverse("conversations:ask_product", args=[deal.pk])
    response = client.post(ask, {"body": "Can we come on Saturday evening?"})
    assert response.status_code == 302
    assert "Saturday evening" in client.get(response["Location"]).content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["deal", "service", "listing"])
def test_goods_not_sold_online_show_no_stock_and_one_ask_the_seller(client, merchant, kind):
    product = factories.published_product(merchant, title="Hotpot for two", kind=kind)
    page = client.get(reverse("storefront:product", args=[product.pk, product.slug])).content.decode()
    assert "In stock" not in page and "Out of stock" not in page
    assert page.count(reverse("conversations:ask_product", args=[product.pk])) == 1


@pytest.mark.django_db
def test_physical_goods_show_their_stock_and_ask_the_seller(client, product):
    page = client.get(reverse("storefront:product", args=[product.pk, product.slug])).content.decode()
    assert "In stock" in page or "Out of stock" in page
    assert reverse("conversations:ask_product", args=[product.pk]) in page
