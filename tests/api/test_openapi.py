import pytest

RESOURCES = [
    "/api/v1/auth/token",
    "/api/v1/me",
    "/api/v1/organizations",
    "/api/v1/organizations/{organization_id}",
    "/api/v1/organizations/{organization_id}/members",
    "/api/v1/organizations/{organization_id}/members/{membership_id}",
    "/api/v1/invitations/{token}/accept",
    "/api/v1/products",
    "/api/v1/products/{product_id}",
    "/api/v1/categories",
    "/api/v1/seller/products",
    "/api/v1/seller/products/{product_id}",
    "/api/v1/seller/products/{product_id}/publish",
    "/api/v1/seller/products/{product_id}/unpublish",
    "/api/v1/seller/products/{product_id}/variants",
    "/api/v1/seller/products/{product_id}/variants/{variant_id}",
    "/api/v1/seller/products/{product_id}/images",
    "/api/v1/seller/products/{product_id}/images/{image_id}",
    "/api/v1/seller/stock",
    "/api/v1/seller/stock/{variant_id}",
]


@pytest.fixture
def schema(api):
    response = api.get("openapi.json")
    assert response.status_code == 200
    return response.json()


def test_openapi_lists_the_resources(schema):
    assert schema["info"]["title"] == "Tradeloop API"
    assert set(RESOURCES) <= set(schema["paths"])


def test_error_answers_are_documented_with_the_error_body(schema):
    create = schema["paths"]["/api/v1/seller/products"]["post"]["responses"]
    for status in ("400", "401", "403", "404", "409", "422"):
        assert create[status]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/ErrorOut"}
    assert set(schema["components"]["schemas"]["ErrorOut"]["properties"]) == {"code", "message", "field"}


def test_both_ways_of_signing_in_are_documented(schema):
    schemes = schema["components"]["securitySchemes"]
    assert {s["type"] for s in schemes.values()} == {"http", "apiKey"}
    assert "security" not in schema["paths"]["/api/v1/products"]["get"]
    assert schema["paths"]["/api/v1/me"]["get"]["security"]


def test_money_is_documented_as_strings(schema):
    card = schema["components"]["schemas"]["ProductCardOut"]
    decimal = {"type": "string", "format": "decimal"}
    assert any(decimal.items() <= option.items() for option in card["properties"]["price_from"]["anyOf"])
    assert "currency" in card["required"]


@pytest.mark.django_db
def test_interactive_docs_page_answers(api):
    response = api.get("docs")
    assert response.status_code == 200
    assert b"openapi.json" in response.content


@pytest.mark.django_db
def test_interactive_docs_work_offline(api, client):
    """Swagger UI comes from our own static files: no CDN, so the page is not blank where one cannot be reached."""
    import re

    page = api.get("docs").content.decode()
    assert not re.search(r"(src|href)=[\"'](https?:)?//", page), "the docs page loads something from another host"
    assets = re.findall(r"(?:src|href)=[\"'](/static/[^\"']+)", page)
    assert {a.rsplit("/", 1)[1] for a in assets} >= {"swagger-ui.css", "swagger-ui-bundle.js", "swagger-ui-init.js"}
    for asset in assets:
        response = client.get(asset)
        assert response.status_code == 200, asset
        assert b"".join(response.streaming_content if response.streaming else [response.content])


def _schema_classes(base: type) -> list[type]:
    found = []
    for sub in base.__subclasses__():
        found.append(sub)
        found.extend(_schema_classes(sub))
    return found


def test_no_two_schemas_share_a_name():
    """OpenAPI names a component after its class: two `LineOut`s would document one shape for both (it did: order
    lines were documented as promotion price lines, without their id)."""
    from collections import defaultdict

    from ninja import Schema

    import tradeloop.api.api  # noqa: F401  every router, so every schema class is loaded

    by_name = defaultdict(set)
    for cls in _schema_classes(Schema):
        if cls.__module__.startswith("tradeloop.") and "[" not in cls.__name__:
            by_name[cls.__name__].add(f"{cls.__module__}.{cls.__qualname__}")
    assert {name: places for name, places in by_name.items() if len(places) > 1} == {}


def test_every_operation_documents_the_common_errors(schema):
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            responses = operation["responses"]
            assert {"400", "422"} <= set(responses), (method, path)
            if "requestBody" in operation:
                assert "413" in responses, (method, path)
            if operation.get("security"):
                assert "401" in responses, (method, path)
