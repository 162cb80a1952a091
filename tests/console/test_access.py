import pytest
from django.urls import reverse

from tests import factories
from tests.console.conftest import login_as, url


@pytest.mark.django_db
def test_someone_who_does_not_sell_is_pointed_to_start_selling(client, user):
    login_as(client, user)
    response = client.get(reverse("console:home"))
    assert response.status_code == 200
    assert reverse("accounts:profile") in response.text
    assert "Start selling" in response.text


@pytest.mark.django_db
def test_signed_out_visitor_is_sent_to_sign_in(client, merchant):
    response = client.get(url("dashboard", merchant))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.django_db
def test_a_single_store_opens_straight_into_its_dashboard(owner_client, merchant):
    response = owner_client.get(reverse("console:home"))
    assert response.status_code == 302
    assert response["Location"] == url("dashboard", merchant)


@pytest.mark.django_db
def test_member_of_several_stores_chooses_one_and_it_is_remembered(client, merchant):
    second = factories.seller_with_owner(kind="local_business", name="Tea house", owner=merchant.owner)
    login_as(client, merchant.owner)

    chooser = client.get(reverse("console:home"))
    assert chooser.status_code == 200
    assert merchant.name in chooser.text and "Tea house" in chooser.text

    dashboard = client.get(url("dashboard", second))
    assert dashboard.status_code == 200
    assert 'id="org-switch"' in dashboard.text  # the switcher in the side navigation
    assert client.get(reverse("console:home"))["Location"] == url("dashboard", second)
    assert client.get(reverse("console:home"), {"org": merchant.pk})["Location"] == url("dashboard", merchant)


@pytest.mark.django_db
def test_owner_dashboard_shows_stats_chart_and_every_section(owner_client, merchant):
    factories.published_product(merchant, title="Oolong", stock=3)
    response = owner_client.get(url("dashboard", merchant))
    assert response.status_code == 200
    text = response.text
    assert "<svg" in text and "Oolong" in text  # the stock chart, drawn on the server
    for section in ("Catalog", "Team", "Store settings"):
        assert section in text
    assert response.context["overview"].products_by_status["published"] == 1
    assert response.context["overview"].variants_low_stock == 1


def nav_labels(response) -> list[str]:
    return [str(link.label) for link in response.context["console"].nav]


@pytest.mark.django_db
def test_catalog_staff_edits_products_but_not_the_team(client, merchant, staff):
    product = factories.published_product(merchant)
    login_as(client, staff("catalog"))
    assert client.get(url("products", merchant)).status_code == 200
    assert client.get(url("product_edit", merchant, product.pk)).status_code == 200
    assert client.get(url("team", merchant)).status_code == 403
    assert client.post(url("invite", merchant), {"email": "x@y.cn", "role": "support"}).status_code == 403
    assert client.get(url("settings", merchant)).status_code == 403
    nav = nav_labels(client.get(url("dashboard", merchant)))
    assert "Catalog" in nav and "Team" not in nav and "Store settings" not in nav


@pytest.mark.django_db
def test_fulfilment_staff_sees_only_the_sections_of_their_role(client, merchant, staff):
    product = factories.published_product(merchant)
    login_as(client, staff("fulfilment"))
    assert client.get(url("products", merchant)).status_code == 403
    assert client.get(url("product_edit", merchant, product.pk)).status_code == 403
    assert client.post(url("products_bulk", merchant), {"action": "unpublish", "ids": [product.pk]}).status_code == 403

    response = client.get(url("dashboard", merchant))
    assert response.status_code == 200
    shown = set(nav_labels(response))
    assert not shown & {"Catalog", "Team", "Store settings"}
    for path in (url("products", merchant), url("team", merchant), url("settings", merchant)):
        assert path not in response.text
    assert {"Orders", "Returns", "Shipping"} <= shown


@pytest.mark.django_db
def test_the_console_lists_only_sections_that_are_built(client, merchant):
    login_as(client, merchant.owner)
    response = client.get(url("dashboard", merchant))
    for link in response.context["console"].nav:
        assert client.get(link.url).status_code == 200, link.label  # no dead end in the menu
    for unbuilt in ("Offers", "Deals &amp; vouchers", "Bookings", "Coming to"):
        assert unbuilt not in response.text


@pytest.mark.django_db
def test_another_tenants_store_and_products_are_not_found(client, merchant):
    other = factories.seller_with_owner(kind="merchant", name="Rival")
    rivals_product = factories.published_product(other)
    login_as(client, merchant.owner)
    assert client.get(url("dashboard", other)).status_code == 404
    assert client.get(url("products", other)).status_code == 404
    # Their product, even reached through my own store's URL:
    assert client.get(url("product_edit", merchant, rivals_product.pk)).status_code == 404
    assert client.post(url("product_status", merchant, rivals_product.pk), {"action": "unpublish"}).status_code == 404
    rivals_product.refresh_from_db()
    assert rivals_product.status == "published"
