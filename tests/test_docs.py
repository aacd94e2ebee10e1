"""Generated reference pages in docs/ match the code."""

import importlib.util

import pytest

from helpers import ROOT

spec = importlib.util.spec_from_file_location("docs_build", ROOT / "docs" / "build.py")
build = importlib.util.module_from_spec(spec)
spec.loader.exec_module(build)


@pytest.mark.parametrize("page", sorted(build.PAGES))
def test_page_is_current(page):
    committed = (ROOT / "docs" / page).read_text(encoding="utf-8")
    assert committed == build.render(page), f"docs/{page} is stale: run `uv run python docs/build.py`"
