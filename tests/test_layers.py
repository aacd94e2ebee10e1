"""The package reads one way: a module imports only modules of its own layer or lower ones."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "model" / "countysim"

#: layers from the bottom up; a module belongs to the layer of its longest matching prefix
LAYERS: tuple[tuple[str, ...], ...] = (
    ("countysim.version", "countysim.calendar", "countysim.population", "countysim.parameters",
     "countysim.rng", "countysim.backend", "countysim.kernels", "countysim.results", "countysim.data",
     "countysim.formatting", "countysim.stats", "countysim.labels"),
    ("countysim.policy.levers",),
    ("countysim.scenario",),
    ("countysim.state",),
    ("countysim.rules",),
    ("countysim.phases",),
    ("countysim.build",),
    ("countysim.indicators",),
    ("countysim.model", "countysim.policy.clauses"),
    ("countysim.store",),
    # the figures draw results and tables only, so the experiments' ``plot`` methods may use them
    ("countysim.experiments", "countysim.resources", "countysim.assessment", "countysim.plausibility",
     "countysim.report.figures", "countysim.report.fonts", "countysim.county_sheet", "countysim.province"),
    ("countysim.report", "countysim.outputs"),
    ("countysim.cli_common", "countysim.commands", "countysim.cli", "countysim"),
)  # fmt: skip


def layer_of(module: str) -> int:
    """The layer of a ``countysim`` module (by its longest matching prefix)."""
    best, depth = None, -1
    for k, prefixes in enumerate(LAYERS):
        for prefix in prefixes:
            if (module == prefix or module.startswith(prefix + ".")) and len(prefix) > depth:
                best, depth = k, len(prefix)
    if best is None:
        raise KeyError(f"{module} belongs to no layer: add it to LAYERS")
    return best


def _is_module(name: str) -> bool:
    path = PACKAGE.parent.joinpath(*name.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def imports(source: str, module: str, is_package: bool) -> set[str]:
    """The ``countysim`` modules a source file imports, outside ``if TYPE_CHECKING:`` blocks."""
    tree = ast.parse(source)
    typing_only = {
        id(n)
        for node in ast.walk(tree)
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)
        for n in ast.walk(node)
    }
    found: set[str] = set()
    package = module if is_package else module.rsplit(".", 1)[0]
    for node in ast.walk(tree):
        if id(node) in typing_only:
            continue
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith("countysim")}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                base = ".".join(parts[: len(parts) - node.level + 1] + ([base] if base else []))
            if base.startswith("countysim"):
                found.add(base)
                # ``from countysim import indicators``: the submodule is what is imported
                found |= {f"{base}.{a.name}" for a in node.names if _is_module(f"{base}.{a.name}")}
    return found


def modules() -> list[tuple[str, Path]]:
    out = []
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE.parent).with_suffix("")
        parts = list(rel.parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out.append((".".join(parts), path))
    return out


def violations() -> list[str]:
    found = []
    for module, path in modules():
        mine = layer_of(module)
        for imported in imports(path.read_text(encoding="utf-8"), module, path.name == "__init__.py"):
            if imported == "countysim" and module != "countysim":
                continue  # the package's lazy public names, used for submodule access
            if layer_of(imported) > mine:
                found.append(f"{module} (layer {mine}) imports {imported} (layer {layer_of(imported)})")
    return found


def test_no_module_imports_a_higher_layer():
    assert violations() == []


def test_every_module_has_a_layer():
    for module, _ in modules():
        layer_of(module)


@pytest.mark.parametrize(
    ("module", "source", "bad"),
    [
        ("countysim.rules.labour", "from countysim.experiments import runner", True),
        ("countysim.population.state", "import countysim.rules.labour", True),
        ("countysim.phases.labour", "from countysim.rules.labour import hire", False),
        ("countysim.rules.labour", "if TYPE_CHECKING:\n    from countysim.model import CountyModel", False),
        ("countysim.rules.labour", "def f():\n    from countysim.model import run", True),
    ],
)
def test_the_check_sees_an_upward_import(module, source, bad):
    ups = [i for i in imports(source, module, False) if layer_of(i) > layer_of(module)]
    assert bool(ups) == bad


#: the packages that draw figures; nothing else imports matplotlib, so a run never pays for it
DRAWING = ("countysim.report", "countysim.app")


def test_only_the_report_and_the_app_draw():
    """matplotlib is imported by the report and the app alone."""
    drawing = []
    for module, path in modules():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        names = {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
        names |= {n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
        if any(name.split(".")[0] == "matplotlib" for name in names) and not module.startswith(DRAWING):
            drawing.append(module)
    assert drawing == []
