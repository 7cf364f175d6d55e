"""The import rules of design.md §2, enforced on the source tree."""
from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "counter_app"

FRAMEWORKS = {"PySide6", "shiboken6", "sqlalchemy", "alembic", "reportlab", "barcode", "httpx", "keyring",
              "fastapi", "uvicorn", "holidays", "platformdirs", "pydantic", "PIL", "sane", "_sane", "twain",
              "img2pdf", "pikepdf"}


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
                      "counter_app.entry",
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
    (root / "domain" / "probe.py").write_text("from sqlalchemy import select\nfrom ..storage import models\n",
                                              encoding="utf-8")
    assert violations("domain", FRAMEWORKS, {"counter_app.storage"}, root) == [
        "domain/probe.py imports counter_app.storage",
        "domain/probe.py imports counter_app.storage.models",
        "domain/probe.py imports sqlalchemy",
        "domain/probe.py imports sqlalchemy.select",
    ]


# --- The module graph: no circles, no upward arrows -------------------------------------------
# Every import counts as an arrow: at the top of a module, inside a function (a lazy import still
# runs that module) and under TYPE_CHECKING (a circle there is one the moment someone moves it).

def module_name(path: Path, root: Path = PACKAGE) -> str:
    parts = path.relative_to(root.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def import_graph(root: Path = PACKAGE) -> dict[str, set[str]]:
    """Each module of the package -> the package's modules it imports (``from pkg import mod`` is an
    arrow to ``pkg.mod``; a name that is not a module is an arrow to the module that defines it)."""
    modules = {module_name(p, root): p for p in root.rglob("*.py")}
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        arrows: set[str] = set()
        for imported in _imported_names(path, name):
            while imported and imported not in modules:  # `pkg.mod.Class` -> `pkg.mod`
                imported = imported.rpartition(".")[0]
            if imported and imported != name:
                arrows.add(imported)
        graph[name] = arrows
    return graph


def _imported_names(path: Path, name: str) -> set[str]:
    """``import a.b`` -> ``a.b``; ``from a import b`` -> ``a.b`` (the module ``b``, or the name ``b`` of ``a``)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                base = ".".join(parts[: len(parts) - node.level + 1] + ([node.module] if node.module else []))
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return found


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for start in sorted(graph):
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, arrows = work[-1]
            for target in arrows:
                if target not in index:
                    index[target] = low[target] = len(index)
                    stack.append(target)
                    on_stack.add(target)
                    work.append((target, iter(sorted(graph.get(target, ())))))
                    break
                if target in on_stack:
                    low[node] = min(low[node], index[target])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    if len(component) > 1:
                        found.append(sorted(component))
    return sorted(found)


def test_no_import_circles() -> None:
    assert circles(import_graph()) == []


# Layers from the top down; a module may import its own layer and the layers below it, never one
# above. The command line and the composition root are on top (nothing imports them); the screens
# and the server are side by side (neither imports the other); the adapters implement the ports of
# the services below them; the domain imports only itself.
LAYERS: tuple[tuple[str, tuple[str, ...]], ...] = (
    # counter_app.cli: the name main.py, the console script and the installers call (one import)
    ("entry", ("counter_app.entry", "counter_app.cli")),
    ("wiring", ("counter_app.app", "counter_app.admin_wiring", "counter_app.queue_wiring")),
    ("ui", ("counter_app.ui",)),
    ("server", ("counter_app.server",)),
    ("adapters", ("counter_app.storage", "counter_app.printing", "counter_app.sync", "counter_app.seed",
                  "counter_app.scanning",
                  "counter_app.credentials", "counter_app.maintenance", "counter_app.voice",
                  "counter_app.private_log", "counter_app.environment", "counter_app.paths")),
    ("services", ("counter_app.services",)),
    ("domain", ("counter_app.domain", "counter_app")),
)
SIDE_BY_SIDE = {frozenset({"ui", "server"})}


def layer_of(module: str) -> str:
    best, best_length = "", -1
    for layer, prefixes in LAYERS:
        for prefix in prefixes:
            if prefix.endswith("*"):
                matches = module.startswith(prefix[:-1])
            else:
                matches = module == prefix or module.startswith(prefix + ".")
            if matches and len(prefix) > best_length:  # the most specific prefix names the layer
                best, best_length = layer, len(prefix)
    return best


def upward_arrows(graph: dict[str, set[str]]) -> list[str]:
    rank = {layer: position for position, (layer, _) in enumerate(LAYERS)}  # 0 is the top
    bad = []
    for module in sorted(graph):
        here = layer_of(module)
        for target in sorted(graph[module]):
            there = layer_of(target)
            if rank[there] < rank[here] or (here != there and frozenset({here, there}) in SIDE_BY_SIDE):
                bad.append(f"{module} ({here}) imports {target} ({there})")
    return bad


def test_every_module_has_a_layer() -> None:
    assert [m for m in import_graph() if not layer_of(m)] == []


def test_no_upward_arrows() -> None:
    assert upward_arrows(import_graph()) == []


def test_the_graph_checkers_see_a_circle_and_an_upward_arrow(tmp_path: Path) -> None:
    # Guard against checkers that can never fail: a lazy import back and a service importing a screen.
    root = tmp_path / "counter_app"
    for sub in ("domain", "services", "ui"):
        (root / sub).mkdir(parents=True)
        (root / sub / "__init__.py").write_text("", encoding="utf-8")
    (root / "__init__.py").write_text("", encoding="utf-8")
    (root / "domain" / "a.py").write_text("from . import b\n", encoding="utf-8")
    (root / "domain" / "b.py").write_text("def f():\n    from .a import X\n", encoding="utf-8")
    (root / "services" / "s.py").write_text("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n"
                                            "    from ..ui.screen import Screen\n", encoding="utf-8")
    (root / "ui" / "screen.py").write_text("from ..services import s\n", encoding="utf-8")
    graph = import_graph(root)
    assert circles(graph) == [["counter_app.domain.a", "counter_app.domain.b"],
                              ["counter_app.services.s", "counter_app.ui.screen"]]
    assert upward_arrows(graph) == ["counter_app.services.s (services) imports counter_app.ui.screen (ui)"]


# --- Entry points: one package on top -----------------------------------------------------------

def starts_a_program(path: Path) -> bool:
    """``path`` parses a command line or runs as a script: what an entry point does."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import) and any(alias.name == "argparse" for alias in node.names):
            return True
        if isinstance(node, ast.ImportFrom) and node.module == "argparse":
            return True
        if (isinstance(node, ast.Compare) and isinstance(node.left, ast.Name) and node.left.id == "__name__"
                and any(isinstance(c, ast.Constant) and c.value == "__main__" for c in node.comparators)):
            return True
    return False


def entry_points_outside(root: Path = PACKAGE) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*.py")
                  if not p.relative_to(root).parts[0] == "entry" and starts_a_program(p))


def test_entry_points_live_in_the_entry_package() -> None:
    assert entry_points_outside() == []


def test_the_entry_checker_sees_a_command_line_elsewhere(tmp_path: Path) -> None:
    root = tmp_path / "counter_app"
    (root / "entry").mkdir(parents=True)
    (root / "sync").mkdir()
    (root / "entry" / "cli.py").write_text("import argparse\n", encoding="utf-8")
    (root / "sync" / "cli.py").write_text("from argparse import ArgumentParser\n", encoding="utf-8")
    (root / "sync" / "tool.py").write_text("if __name__ == '__main__':\n    pass\n", encoding="utf-8")
    assert entry_points_outside(root) == ["sync/cli.py", "sync/tool.py"]


# --- Engines: built in known places only ---------------------------------------------------------
# One process opens the counter's file once (app.open_counter) and shares that engine with the
# queue, the sync store and the administration; the reports read through a read-only reader of
# their own so a year's report never holds the writer's lock. Every call that builds an engine or
# opens a database is listed here with its reason: a new one anywhere fails until it is justified.
ENGINE_BUILDERS = {"create_engine", "open_database", "open_read_only", "create_sqlite_engine",
                   "report_uow_factory", "DeferredDatabase.open", "open_server", "open_hub"}
EXPECTED_ENGINE_BUILDS = sorted([
    ("counter_app.app", "DeferredDatabase.open"),  # the counter's one database
    ("counter_app.app", "report_uow_factory"),  # the reports' read-only reader of the same file
    ("counter_app.storage.startup_store", "open_database"),  # the deferred database's engine, on first use
    ("counter_app.storage.engine", "open_read_only"),  # open_database on a read-only folder
    ("counter_app.storage.engine", "create_sqlite_engine"),  # open_database's engine
    ("counter_app.storage.engine", "create_engine"),  # the read-only engine
    ("counter_app.storage.engine", "create_engine"),  # the writing engine
    ("counter_app.storage.reports_reader", "create_engine"),  # the reports' reader (mode=ro)
    ("counter_app.maintenance", "open_database"),  # a restore migrates the swapped-in file, before any open
    ("counter_app.storage.migration_env", "create_engine"),  # alembic's own command line, both databases
    ("counter_app.server.db", "create_engine"),  # the server's engine: SQLite ...
    ("counter_app.server.db", "create_engine"),  # ... or PostgreSQL
    ("counter_app.server.app", "open_server"),  # the server's composition: one service per app
    ("counter_app.entry.cli_server", "open_server"),  # serve
    ("counter_app.entry.cli_server", "open_hub"),  # serve --hub
])


def engine_builds(root: Path = PACKAGE) -> list[tuple[str, str]]:
    """(module, builder) for every call of an engine or database builder in the package."""
    found = []
    for path in root.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            if isinstance(func, ast.Name):
                name = func.id
            elif isinstance(func, ast.Attribute):
                owner = func.value.id if isinstance(func.value, ast.Name) else ""
                name = f"{owner}.{func.attr}" if f"{owner}.{func.attr}" in ENGINE_BUILDERS else func.attr
            else:
                continue
            if name in ENGINE_BUILDERS:
                found.append((module_name(path, root), name))
    return sorted(found)


def test_engines_are_built_in_the_known_places_only() -> None:
    assert engine_builds() == EXPECTED_ENGINE_BUILDS


def test_the_engine_checker_sees_a_second_engine(tmp_path: Path) -> None:
    root = tmp_path / "counter_app"
    (root / "services").mkdir(parents=True)
    (root / "services" / "queue.py").write_text(
        "from ..storage import engine\n\ndef f(path):\n    return engine.open_database(path)\n", encoding="utf-8")
    (root / "app.py").write_text("def g(p):\n    return DeferredDatabase.open(p), DeferredDatabase.open(p)\n",
                                 encoding="utf-8")
    assert engine_builds(root) == [("counter_app.app", "DeferredDatabase.open"),
                                   ("counter_app.app", "DeferredDatabase.open"),
                                   ("counter_app.services.queue", "open_database")]


# The counter's sync outbox is written in one place (storage/outbox_writer.py): use cases record
# their changes on the unit of work, which writes them at commit. A second writer could give rows
# another layout or skip the commit's announcement, and the change would never be pushed.
OUTBOX_WRITER = "counter_app.storage.outbox_writer"
_RAW_OUTBOX_INSERT = re.compile(r"insert\s+(or\s+\w+\s+)?into\s+\"?outbox\b", re.IGNORECASE)


def _is_outbox(node: ast.expr) -> bool:
    return (isinstance(node, ast.Name) and node.id == "outbox") or (
        isinstance(node, ast.Attribute) and node.attr == "outbox")


def outbox_writers(root: Path = PACKAGE) -> list[str]:
    """Modules that insert into the counter's ``outbox`` table (SQLAlchemy or raw SQL)."""
    found = set()
    for path in root.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            core_insert = (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                           and node.func.id == "insert" and node.args and _is_outbox(node.args[0]))
            table_insert = (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                            and node.func.attr == "insert" and _is_outbox(node.func.value))
            raw_sql = isinstance(node, ast.Constant) and isinstance(node.value, str) and bool(
                _RAW_OUTBOX_INSERT.search(node.value))
            if core_insert or table_insert or raw_sql:
                found.add(module_name(path, root))
    return sorted(found)


def test_only_the_outbox_writer_inserts_outbox_rows() -> None:
    assert outbox_writers() == [OUTBOX_WRITER]


def test_the_outbox_checker_sees_another_writer(tmp_path: Path) -> None:
    root = tmp_path / "counter_app"
    (root / "storage").mkdir(parents=True)
    (root / "storage" / "a.py").write_text("def f(s):\n    s.execute(insert(outbox), [])\n", encoding="utf-8")
    (root / "storage" / "b.py").write_text("def f(s):\n    s.execute(models.outbox.insert())\n", encoding="utf-8")
    (root / "storage" / "c.py").write_text("SQL = 'INSERT OR IGNORE INTO outbox (kind) VALUES (?)'\n",
                                           encoding="utf-8")
    (root / "storage" / "d.py").write_text("def f(s):\n    s.execute(insert(hub_outbox), [])\n", encoding="utf-8")
    assert outbox_writers(root) == ["counter_app.storage.a", "counter_app.storage.b", "counter_app.storage.c"]
