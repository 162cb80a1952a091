from tests.api.conftest import api, api_as, owner_api, rival  # noqa: F401 - the API client fixtures, shared
