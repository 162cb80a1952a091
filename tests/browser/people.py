"""Signing in through the real login page, in either language; a signed-in page in a size and language; the
insight guide's screenshots."""

import os
import re
from pathlib import Path

from playwright.sync_api import Browser, Page, expect

from tests import factories
from tests.browser.conftest import SCREENSHOTS


def sign_in(page: Page, base: str, email: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.get_by_label(re.compile("E-mail|电子邮件|邮箱")).fill(email)
    page.get_by_label(re.compile("Password|密码")).fill(factories.PASSWORD)
    page.locator("main form button[type=submit]").last.click()
    expect(page.locator(".site-header details.menu")).to_be_visible()  # the account menu: signed in


PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1280, "height": 900}
DOCS_IMAGES = Path(__file__).resolve().parents[2] / "docs" / "images"


def docs_shot(page: Page, name: str, *, full_page: bool = False, guide: str = "insight") -> None:
    """A screenshot a guide shows: into docs/images/<guide>/ under TRADELOOP_DOCS_SHOTS=1, else with the other
    screenshots for people to look at (a test run leaves the tracked images alone)."""
    folder = DOCS_IMAGES / guide if os.environ.get("TRADELOOP_DOCS_SHOTS") == "1" else SCREENSHOTS
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / f"{name}.png"), full_page=full_page)


def person_page(browser: Browser, base: str, email: str, *, language: str = "en", viewport=None) -> Page:
    """A page of a new browser context, in that language and size, signed in as that person."""
    context = browser.new_context(viewport=viewport or LAPTOP, device_scale_factor=1)
    context.add_cookies([{"name": "django_language", "value": language, "url": base}])
    page = context.new_page()
    sign_in(page, base, email)
    return page


def assert_fits(page: Page) -> None:
    """Nothing scrolls sideways."""
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"{page.url} is {width}px wide"
