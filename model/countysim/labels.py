"""Chinese and English labels of every indicator, lever and needs item (``data/labels.csv``).

One data file holds them all, one row per catalogue entry: ``kind`` (``indicator``, ``lever``
or ``item``), ``name`` (the catalogue name), ``zh`` (simplified Chinese), ``en`` (English) and
``unit_zh`` (the unit in Chinese; the English unit is the catalogue's own). The report, the app
and ``countysim levers/indicators --lang`` read them through :func:`label` and :func:`unit_zh`.
This module sits low in the layering: it reads the file and nothing of the model, so that the
catalogues themselves stay free of presentation (``tests/test_labels.py`` checks that every
indicator and lever has both labels).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from functools import cache
from importlib.resources import files

#: the languages labels exist in
LANGS = ("zh", "en")
#: the kinds of catalogue entry a row may label
KINDS = ("indicator", "lever", "item")
#: the labels file, package data of ``countysim.data``
LABELS_FILE = "labels.csv"
COLUMNS = ("kind", "name", "zh", "en", "unit_zh")


class LabelsError(ValueError):
    """A malformed labels file (a broken installation or a bad edit)."""


@dataclass(frozen=True)
class Label:
    """The labels of one catalogue entry."""

    kind: str
    name: str
    zh: str
    en: str
    unit_zh: str


def parse_labels(text: str, source: str = LABELS_FILE) -> dict[tuple[str, str], Label]:
    """Read the labels file's text, keyed ``(kind, name)``.

    Raises:
        LabelsError: naming the file, the line and the problem (wrong columns, unknown kind, an
            empty label, a duplicate).
    """
    reader = csv.DictReader(io.StringIO(text))
    if tuple(reader.fieldnames or ()) != COLUMNS:
        raise LabelsError(
            f"{source}: header must be {','.join(COLUMNS)}, got {','.join(reader.fieldnames or [])}"
        )
    out: dict[tuple[str, str], Label] = {}
    problems: list[str] = []
    for row in reader:
        line = reader.line_num
        if None in row or any(v is None for v in row.values()):
            problems.append(f"line {line}: {len(COLUMNS)} columns expected ({','.join(COLUMNS)})")
            continue
        entry = Label(**{k: row[k].strip() for k in COLUMNS})
        if entry.kind not in KINDS:
            problems.append(f"line {line}: kind {entry.kind!r} unknown; allowed: {', '.join(KINDS)}")
        empty = [k for k in COLUMNS if not getattr(entry, k)]
        if empty:
            problems.append(f"line {line} ({entry.name}): empty {', '.join(empty)}")
        if (entry.kind, entry.name) in out:
            problems.append(f"line {line}: {entry.kind} {entry.name!r} labelled twice")
        out[entry.kind, entry.name] = entry
    if problems:
        raise LabelsError(f"invalid labels file {source}:\n  " + "\n  ".join(problems))
    return out


@cache
def labels() -> dict[tuple[str, str], Label]:
    """The shipped labels, keyed ``(kind, name)``."""
    return parse_labels((files("countysim.data") / LABELS_FILE).read_text(encoding="utf-8"))


def find(name: str, kind: str | None = None) -> Label | None:
    """The labels of ``name`` (of ``kind``, or the first kind that has it), or ``None``."""
    table = labels()
    for k in (kind,) if kind else KINDS:
        if (k, name) in table:
            return table[k, name]
    return None


def check_lang(lang: str) -> str:
    """``lang`` if it is one of ``LANGS``.

    Raises:
        ValueError: for another language, naming the allowed ones.
    """
    if lang not in LANGS:
        raise ValueError(f"unknown language {lang!r}; allowed: {', '.join(LANGS)}")
    return lang


def label(name: str, lang: str = "zh", kind: str | None = None) -> str:
    """What ``name`` is called in ``lang`` (its own name when it has no label)."""
    check_lang(lang)
    entry = find(name, kind)
    if entry is None:
        return name
    return entry.zh if lang == "zh" else entry.en


def unit_zh(name: str, kind: str | None = None) -> str | None:
    """The Chinese unit of ``name``, or ``None`` when it has no label."""
    entry = find(name, kind)
    return entry.unit_zh if entry is not None else None
