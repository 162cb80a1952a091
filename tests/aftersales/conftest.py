from tests.api.conftest import api, api_as, owner_api, rival  # noqa: F401 - the API client fixtures, shared
from tests.checkout.conftest import address, buyer, eager, pay  # noqa: F401 - checkout through the real services
