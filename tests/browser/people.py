"""Signing in through the real login page, in either language."""

import re

from playwright.sync_api import Page, expect

from tests import factories


def sign_in(page: Page, base: str, email: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.get_by_label(re.compile("E-mail|电子邮件|邮箱")).fill(email)
    page.get_by_label(re.compile("Password|密码")).fill(factories.PASSWORD)
    page.locator("main form button[type=submit]").last.click()
    expect(page.locator(".site-header details.menu")).to_be_visible()  # the account menu: signed in
