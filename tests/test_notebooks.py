"""Every notebook in ``notebooks/`` runs top to bottom without a cell error.

Each notebook is executed with nbclient in the ``python3`` kernel, from the notebooks folder.
A last cell appended in memory (the file is not changed) reports the kernel's ``sys.prefix``,
so the test also proves that the kernel is this project's environment and not some other
Python that happens to own a ``python3`` kernel spec.
"""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

NOTEBOOKS_DIR = Path(__file__).resolve().parents[1] / "notebooks"
NOTEBOOKS = sorted(NOTEBOOKS_DIR.glob("*.ipynb"))
PREFIX_MARKER = "KERNEL_SYS_PREFIX="


def test_there_are_notebooks() -> None:
    assert NOTEBOOKS, f"no notebooks found in {NOTEBOOKS_DIR}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_notebook_runs(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell(f"import sys\nprint({PREFIX_MARKER!r} + sys.prefix)"))
    client = NotebookClient(
        nb,
        kernel_name="python3",
        timeout=600,
        resources={"metadata": {"path": str(NOTEBOOKS_DIR)}},
    )
    try:
        client.execute()
    except CellExecutionError as exc:
        pytest.fail(f"{path.name}: a cell failed:\n{exc}", pytrace=False)

    text = "".join(out.get("text", "") for out in nb.cells[-1].outputs if out.output_type == "stream")
    assert PREFIX_MARKER in text, f"{path.name}: the kernel did not report its sys.prefix"
    kernel_prefix = text.split(PREFIX_MARKER, 1)[1].strip()
    assert Path(kernel_prefix).resolve() == Path(sys.prefix).resolve(), (
        f"{path.name} ran in {kernel_prefix}, not in this environment ({sys.prefix})"
    )
