"""Storefront filters update the results in place (htmx) and keep the URL in step; the form still works as a form."""

import re

from playwright.sync_api import Page, expect

from tests import factories


def test_changing_a_filter_swaps_the_results_without_a_reload(live_server, page: Page):
    shop = factories.seller_with_owner(kind="local_business", name="Jinling Housekeeping")
    factories.published_product(shop, title="Weekly cleaning deal", kind="deal")
    factories.published_product(shop, title="Feather duster")
    page.goto(f"{live_server.url}/products/")
    results = page.locator("#results")
    expect(results).to_contain_text("Feather duster")
    page.evaluate("window.stayedOnPage = true")

    page.get_by_label("Type").select_option("deal")
    expect(results).not_to_contain_text("Feather duster")
    expect(results).to_contain_text("Weekly cleaning deal")
    expect(page).to_have_url(re.compile(r"kind=deal"))
    assert page.evaluate("window.stayedOnPage === true")

    page.get_by_label("Sort by").select_option(index=1)  # sorting, too, updates in place
    expect(page).to_have_url(re.compile(r"sort="))
    expect(results).to_contain_text("Weekly cleaning deal")
    assert page.evaluate("window.stayedOnPage === true")


def test_a_bad_filter_says_so_in_place(live_server, page: Page):
    shop = factories.seller_with_owner(kind="merchant", name="Fruit Farm")
    factories.published_product(shop, title="Fuji apples")
    page.goto(f"{live_server.url}/products/")
    results = page.locator("#results")
    expect(results).to_contain_text("Fuji apples")
    page.evaluate("window.stayedOnPage = true")

    page.locator("#id_min").fill("50")
    page.locator("#id_max").fill("10")  # below the minimum: the server answers 400 with the reason
    page.locator("#id_max").press("Enter")
    expect(results.get_by_role("alert")).to_contain_text("Some filters are not valid")
    expect(results).not_to_contain_text("Fuji apples")
    assert page.evaluate("window.stayedOnPage === true")
