"""Error codes are a contract: each app lists its codes in a `Code` enum, docs/api.md lists every one of them, and no
code is raised anywhere that is not in its app's enum (or the shared `core.errors.Code`)."""

import ast
import importlib
import re
from pathlib import Path

import tradeloop
from tradeloop.core.api_errors import HTTP_CODES
from tradeloop.core.errors import Code as CoreCode

PACKAGE = Path(tradeloop.__file__).parent
DOCS = PACKAGE.parents[1] / "docs" / "api.md"


def app_enums() -> dict[str, set[str]]:
    enums = {"core": {c.value for c in CoreCode}}
    for module in sorted(PACKAGE.glob("*/errors.py")):
        app = module.parent.name
        if app != "core":
            enums[app] = {c.value for c in importlib.import_module(f"tradeloop.{app}.errors").Code}
    return enums


def _error_classes(trees: list[ast.Module]) -> set[str]:
    """Names of DomainError and every class deriving from it, in any module (to a fixed point)."""
    names = {"DomainError"}
    classes = [node for tree in trees for node in ast.walk(tree) if isinstance(node, ast.ClassDef)]
    grown = True
    while grown:
        grown = False
        for cls in classes:
            bases = {b.id if isinstance(b, ast.Name) else getattr(b, "attr", "") for b in cls.bases}
            if cls.name not in names and bases & names:
                names.add(cls.name)
                grown = True
    return names


def _called(node: ast.Call) -> str:
    return node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", "")


def raised_codes() -> dict[str, set[tuple[str, str]]]:
    """app → {(code, where)} for every string code given to a domain error or the API's error body."""
    files = [f for f in PACKAGE.rglob("*.py") if "migrations" not in f.parts]
    trees = {f: ast.parse(f.read_text()) for f in files}
    errors = _error_classes(list(trees.values()))
    found: dict[str, set[tuple[str, str]]] = {}
    for file, tree in trees.items():
        app = file.relative_to(PACKAGE).parts[0].removesuffix(".py")
        for node in ast.walk(tree):
            literal = None
            if isinstance(node, ast.Call) and _called(node) in errors:
                literal = next((k.value for k in node.keywords if k.arg == "code"), None)
            elif isinstance(node, ast.Call) and _called(node) == "error_body" and node.args:
                literal = node.args[0]
            elif isinstance(node, ast.ClassDef) and node.name in errors:
                for item in node.body:
                    if isinstance(item, ast.Assign | ast.AnnAssign) and "code" in ast.unparse(item).split("=")[0]:
                        literal = item.value
            if isinstance(literal, ast.Constant) and isinstance(literal.value, str):
                found.setdefault(app, set()).add((literal.value, f"{file.relative_to(PACKAGE)}:{node.lineno}"))
    return found


def documented_codes() -> set[str]:
    section = DOCS.read_text().split("### Error codes", 1)[1].split("\n## ", 1)[0]
    return set(re.findall(r"^\| `([a-z_]+)` \|", section, flags=re.MULTILINE))


def test_every_code_raised_is_in_its_apps_enum():
    enums = app_enums()
    strays = {
        (code, where)
        for app, raised in raised_codes().items()
        for code, where in raised
        if code not in enums.get(app, set()) | enums["core"]
    }
    assert strays == set(), "add these codes to the app's errors.Code (and docs/api.md)"


def test_the_docs_list_exactly_the_codes_of_the_enums():
    every = set().union(*app_enums().values())
    assert documented_codes() == every


def test_the_http_fallback_codes_are_core_codes():
    assert set(HTTP_CODES.values()) <= set(CoreCode)
    assert {"uri_too_long", "headers_too_large"} <= set(CoreCode)  # tradeloop serve's worker answers these


def test_the_scan_finds_codes():
    """The scan itself works: it sees codes raised by keyword, by class attribute and in the API's error bodies."""
    raised = {code for found in raised_codes().values() for code, _ in found}
    assert {"out_of_stock", "promotion_exhausted", "method_not_allowed", "csrf_failed"} <= raised
