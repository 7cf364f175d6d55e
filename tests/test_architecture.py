"""The import rules of design.md §2, enforced on the source tree."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "counter_app"

FRAMEWORKS = {"PySide6", "shiboken6", "sqlalchemy", "alembic", "reportlab", "barcode", "httpx", "keyring",
              "fastapi", "uvicorn", "holidays", "platformdirs", "pydantic"}


def imports_of(path: Path, root: Path = PACKAGE) -> set[str]:
    """Absolute module names imported by ``path`` (relative imports resolved)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = ".".join(path.relative_to(root.parent).with_suffix("").parts[:-1])
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            found.add(module)
            found.update(f"{module}.{alias.name}" for alias in node.names)
    return found


def violations(sub: str, forbidden_roots: set[str], forbidden_packages: set[str], root: Path = PACKAGE) -> list[str]:
    bad = []
    for path in sorted((root / sub).rglob("*.py")):
        for module in sorted(imports_of(path, root)):
            top = module.split(".")[0]
            if top in forbidden_roots or any(module == p or module.startswith(p + ".") for p in forbidden_packages):
                bad.append(f"{path.relative_to(root)} imports {module}")
    return bad


@pytest.mark.parametrize("layer", ["domain", "services"])
def test_core_layers_import_no_framework(layer: str) -> None:
    forbidden_pkgs = {"counter_app.storage", "counter_app.ui", "counter_app.printing", "counter_app.server",
                      "counter_app.sync.client", "counter_app.credentials", "counter_app.app", "counter_app.cli",
                      "counter_app.seed"}
    if layer == "domain":
        forbidden_pkgs.add("counter_app.services")
    assert violations(layer, FRAMEWORKS, forbidden_pkgs) == []


def test_ui_never_touches_storage() -> None:
    assert violations("ui", {"sqlalchemy", "alembic"}, {"counter_app.storage"}) == []


def test_server_never_imports_ui() -> None:
    if not (PACKAGE / "server").exists():
        pytest.skip("no server package yet")
    assert violations("server", {"PySide6", "shiboken6"}, {"counter_app.ui"}) == []


def test_only_credentials_touches_keyring() -> None:
    offenders = [
        str(p.relative_to(PACKAGE)) for p in PACKAGE.rglob("*.py")
        if p.name != "credentials.py" and any(m.split(".")[0] == "keyring" for m in imports_of(p))
    ]
    assert offenders == []


def test_the_checker_sees_a_violation(tmp_path: Path) -> None:
    # Guard against a checker that can never fail: a forbidden import must be reported.
    root = tmp_path / "counter_app"
    (root / "domain").mkdir(parents=True)
    (root / "domain" / "probe.py").write_text("from sqlalchemy import select\nfrom ..storage import models\n", encoding="utf-8")
    assert violations("domain", FRAMEWORKS, {"counter_app.storage"}, root) == [
        "domain/probe.py imports counter_app.storage",
        "domain/probe.py imports counter_app.storage.models",
        "domain/probe.py imports sqlalchemy",
        "domain/probe.py imports sqlalchemy.select",
    ]
