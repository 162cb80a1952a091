from tests.api.conftest import api_as, owner_api  # noqa: F401 - the shared API client fixtures
