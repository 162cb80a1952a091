from tests.checkout.conftest import address, buyer, eager, pay, shop  # noqa: F401 - shared checkout fixtures
