"""The page's browser assets: the npm packages the installed Solara loads from a CDN.

Solara's server hands the browser its front end (the Vue/Vuetify app bundle, RequireJS) and
some widgets' scripts (the grid layout that ``SolaraViz`` uses) through a proxy that fetches
them from a CDN on first use and keeps them in a cache folder. A machine that cannot reach the
CDN (a closed network, a county intranet) needs them in that folder beforehand; they are plain
npm packages, so ``npm pack`` fetches them from an npm registry or mirror::

    python -m countysim.app.assets            # the packages missing from the cache, one a line
    python -m countysim.app.assets --dir      # the cache folder

Each package goes, unpacked (without npm's leading ``package/`` folder), into
``<cache>/<name>@<version>/``; ``.ci/run`` does exactly that. The versions are read from the
installed Solara, so they follow it when it is upgraded.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from pathlib import Path


def _solara_root() -> Path:
    import importlib.util

    spec = importlib.util.find_spec("solara")
    if spec is None or spec.origin is None:  # pragma: no cover - solara is a dependency
        raise RuntimeError("solara is not installed")
    return Path(spec.origin).parent


def _vue3() -> bool:
    from importlib.metadata import version

    return version("ipyvue").startswith("3")


def needed() -> list[str]:
    """The npm packages (``name@version``) of the assets the app's pages load, read from the installed Solara."""
    root = _solara_root()
    template = (root / "server" / "templates" / "solara.html.j2").read_text(encoding="utf-8")
    app_name = "solara-vuetify3-app" if _vue3() else "solara-vuetify-app"
    found = re.search(rf"@widgetti/{app_name}@([\w.+-]+)/", template)
    requirejs = re.search(r"/requirejs@([\w.+-]+)/", template)
    grid = re.search(
        r"@widgetti/vue-grid-layout@([\w.+-]+)/", (root / "widgets" / "vue" / "gridlayout.vue").read_text()
    )
    if not (found and requirejs and grid):  # pragma: no cover - a Solara that loads its assets otherwise
        raise RuntimeError(f"cannot read the asset versions of the Solara installed at {root}")
    return [f"@widgetti/{app_name}@{found.group(1)}", f"requirejs@{requirejs.group(1)}",
            f"@widgetti/vue-grid-layout@{grid.group(1)}"]  # fmt: skip


def cache_dir() -> Path:
    """Where Solara's asset proxy keeps (and looks for) the packages."""
    configured = os.environ.get("SOLARA_ASSETS_PROXY_CACHE_DIR")
    if configured:
        return Path(configured)
    return Path(sys.prefix) / "share" / "solara" / "cdn"


def missing(folder: Path | None = None) -> list[str]:
    """The needed packages not in the cache folder (each checked by its ``package.json``)."""
    folder = cache_dir() if folder is None else Path(folder)
    return [spec for spec in needed() if not (folder / spec / "package.json").is_file()]


def main(argv: list[str] | None = None) -> int:
    """Print the missing packages (or, with ``--dir``, the cache folder)."""
    parser = argparse.ArgumentParser(
        prog="python -m countysim.app.assets", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--dir", action="store_true", help="print the cache folder")
    parser.add_argument("--all", action="store_true", help="print every needed package, missing or not")
    args = parser.parse_args(argv)
    if args.dir:
        print(cache_dir())
        return 0
    for spec in needed() if args.all else missing():
        print(spec)
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
