"""pyproject.toml declares what the package imports, and nothing it does not use."""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from importlib.metadata import files, packages_distributions, requires

from helpers import ROOT

#: declared dependencies the package does not import by name, and why each is needed
USED_INDIRECTLY = {
    "psycopg": "the PostgreSQL driver SQLAlchemy loads for postgresql+psycopg:// URLs",
    "pyarrow": "pandas' Parquet engine (countysim results export ... .parquet)",
    "ipyvue": "pinned below 2 for the app: Mesa's SolaraViz grid fails on Vue 3",
    "ipyvuetify": "pinned below 2 for the app, with ipyvue",
    "mplfonts": "ships Noto Sans CJK SC; the report's figures load the font file as data (countysim.report.fonts)",
}


def _name(requirement: str) -> str:
    return re.split(r"[\[<>=~! ;]", requirement, maxsplit=1)[0].strip().lower()


def _declared() -> dict[str, set[str]]:
    """Each declared dependency with the distributions it brings by name (itself and its extras')."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    out: dict[str, set[str]] = {}
    for requirement in project["dependencies"]:
        name = _name(requirement)
        extras = re.search(r"\[([^\]]*)\]", requirement)
        brings = {name}
        if not any(str(f).endswith(".py") for f in files(name) or []):
            # a meta-distribution (solara): its modules come from its unconditional requirements
            brings |= {_name(r) for r in requires(name) or [] if "extra" not in r}
        for extra in extras.group(1).split(",") if extras else []:
            marker = re.compile(rf"extra\s*==\s*['\"]{re.escape(extra.strip())}['\"]")
            brings |= {_name(r) for r in requires(name) or [] if marker.search(r)}
        out[name] = brings
    return out


def _imported() -> set[str]:
    """Distributions of every third-party module the package imports (at module level or lazily)."""
    owners = packages_distributions()
    found: set[str] = set()
    for path in (ROOT / "model" / "countysim").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                top = name.split(".")[0]
                if top == "countysim" or top in sys.stdlib_module_names:
                    continue
                found |= {d.lower() for d in owners.get(top, [top])}
    return found


def test_every_imported_distribution_is_declared() -> None:
    declared = set().union(*_declared().values())
    missing = _imported() - declared
    assert not missing, f"imported but not in pyproject.toml dependencies: {sorted(missing)}"


def test_every_declared_dependency_is_used() -> None:
    imported = _imported()
    unused = {name for name, brings in _declared().items() if not brings & imported} - set(USED_INDIRECTLY)
    assert not unused, f"declared but never imported: {sorted(unused)}"
