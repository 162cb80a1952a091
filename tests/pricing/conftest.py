from tests.checkout.conftest import address, buyer, shop  # noqa: F401 - the checkout fixtures, shared
