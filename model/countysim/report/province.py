"""The province report: what a provincial planner reads, in Chinese by default.

Sections, the province first:

1. **Province summary** — counties, key assisted counties, packages, replications; the headline
   indicators rolled up to the province for every package (mean and 90 % interval across
   replications); the province targets with the probability of meeting each.
2. **Counties by their gap to each target** — each county's value against its share of the
   target, farthest behind first.
3. **Small multiples** — one figure per headline series, one small panel per county (the package
   and its baseline, means over replications), the key assisted counties marked.
4. **Resource needs** — the province's total by year (counties summed within each replication)
   and each county's needs in the last full year.
5. **Reproduce** — the command, the province seed, and the roll-up rules.

``report.html`` (figures embedded, one file), ``report.md`` (figures beside it), and every table
as CSV (``tables/*.csv``) and, when ``openpyxl`` is installed, one Excel workbook
(``tables.xlsx``, a sheet per table). Without ``openpyxl`` the report says how to get the workbook.

Labels of indicators and levers come from the ``label`` function the caller passes (the app's
``labels.label``); figures use a CJK font found by matplotlib's font manager, and fall back to
English labels when there is none, so a figure never shows missing-glyph boxes.
"""

from __future__ import annotations

import base64
import html
import importlib.util
import io
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib import font_manager
from matplotlib.figure import Figure

from countysim.formatting import number
from countysim.indicators import CATALOGUE_BY_NAME, HEADLINE
from countysim.province.rollup import RULES, ProvinceRollup
from countysim.province.spec import Province
from countysim.report.document import CSS

#: languages of the report
LANGS = ("zh", "en")
#: the series drawn as small multiples, one figure each
HEADLINE_SERIES = (
    "employed_rate",
    "training_person_times_poverty",
    "new_high_skilled_cum",
    "public_school_share",
    "settled_persons_cum",
    "hukou_urbanization_rate",
)
#: indicators kept for every county at the horizon and the targets' months
KEPT_INDICATORS = HEADLINE
#: font families that hold the CJK glyphs a Chinese figure needs, most wanted first
CJK_FAMILIES = ("Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "WenQuanYi Micro Hei",
                "WenQuanYi Zen Hei", "SimHei", "Microsoft YaHei", "PingFang SC", "Sarasa Gothic SC",
                "AR PL UMing CN", "Droid Sans Fallback")  # fmt: skip

#: the report's own words: key -> (Chinese, English)
WORDS: dict[str, tuple[str, str]] = {
    "title": ("{name} 省级县域农民工市民化评估报告", "Province report — {name}"),
    "s1": ("一、全省汇总", "1. Province summary"),
    "s2": ("二、各县距目标差距排序", "2. Counties ranked by their gap to each target"),
    "s3": ("三、主要指标分县小图", "3. Headline series by county"),
    "s4": ("四、资源需求（全省合计与分县）", "4. Resource needs (province total and by county)"),
    "s5": ("五、复现与口径", "5. Reproduce, and how counties roll up"),
    "facts": (
        "{n} 个县（其中重点帮扶县 {k} 个），政策包：{packages}；每县每包 {reps} 次重复，随机种子由省种子 {seed} 派生；"
        "{start} 至 {end}。",
        "{n} counties ({k} key assisted), packages: {packages}; {reps} replications per "
        "county and package on seeds spawned from the province seed {seed}; {start} to {end}.",
    ),
    "summary_note": (
        "期末全省值：各县在同一重复内加总（比率按分子、分母汇总），再取各重复的均值与 90% 区间。",
        "Province values at the horizon: counties summed within each replication (rates from their "
        "numerators and denominators), then the mean and 90 % interval across replications.",
    ),
    "targets": (
        "省级目标（达成概率 = 达成目标的重复所占比例）",
        "Province targets (probability = share of replications meeting the target)",
    ),
    "gaps_note": (
        "计数类目标按 share_by 规则分摊到各县，比率类目标各县相同；差距为正表示好于目标；排名 1 为差距最大。",
        "A count target is shared among the counties by its share_by rule, a rate target applies to each "
        "county as it is; a positive gap is better; rank 1 is the farthest behind.",
    ),
    "multiples_note": (
        "实线：{package}；虚线：{baseline}；各重复均值。标 * 的为重点帮扶县。",
        "Solid: {package}; dashed: {baseline}; means over replications. * marks a key assisted county.",
    ),
    "needs_total": (
        "全省合计（各县在同一重复内加总）",
        "Province total (counties summed within each replication)",
    ),
    "needs_county": ("分县（{year} 年）", "By county ({year})"),
    "no_targets": ("省文件未设目标。", "The province file sets no targets."),
    "rules": (
        "汇总口径：计数相加；比率 = Σ(比率×分母)/Σ分母；标注“近似”的指标以最接近的已记录分母加权。",
        "Roll-up: counts add; a rate is Σ(rate × denominator) / Σ denominator; rules marked approximate weight "
        "by the nearest recorded denominator.",
    ),
    "excel_missing": (
        "未安装 openpyxl，未写 Excel 工作簿；表格见 tables/*.csv（安装 openpyxl 后重新运行即得 tables.xlsx）。",
        "openpyxl is not installed, so no Excel workbook was written; the tables are in tables/*.csv "
        "(install openpyxl and rerun for tables.xlsx).",
    ),
    "font_missing": (
        "未找到中文字体，图中标签使用英文。",
        "No CJK font was found: figure labels are in English.",
    ),
    "pool": (
        "省级转移支付资金池：每年 {yuan} 万元，按各县落户人数占全省的比例逐月分配（{package}，截至 {end}，各重复均值与 90% 区间）",
        "Provincial transfer pool: {yuan} 10k yuan a year, shared month by month by each county's share of the "
        "province's settled persons ({package}, to {end}; mean and 90 % interval across replications)",
    ),
    "province": ("全省", "province"),
    "unallocated": ("未分配（全省无人落户的月份）", "unallocated (months in which nobody had settled)"),
    "settled": ("落户人数", "settled persons"),
    "settled_share": ("占全省落户比例", "share of the province's settled"),
    "transfer_cum": ("省级转移支付累计（万元）", "provincial transfer to date (10k yuan)"),
    "indicator": ("指标", "indicator"),
    "unit": ("单位", "unit"),
    "package": ("政策包", "package"),
    "county": ("县", "county"),
    "key_assisted": ("重点帮扶县", "key assisted"),
    "target": ("目标", "target"),
    "mean": ("均值", "mean"),
    "interval": ("90% 区间", "90 % interval"),
    "probability": ("达成概率", "P(meet)"),
    "verdict": ("判断", "verdict"),
    "gap": ("差距", "gap"),
    "rank": ("排名", "rank"),
    "county_target": ("本县分摊目标", "county's share"),
    "effect": ("效果（配对）", "effect (paired)"),
    "year": ("年", "year"),
    "item": ("项目", "item"),
    "counties": ("范围", "counties"),
    "all": ("全部县", "all counties"),
    "key": ("重点帮扶县", "key assisted counties"),
    "yes": ("是", "yes"),
    "no": ("否", "no"),
    "rule": ("汇总规则", "rule"),
    "exact": ("精确", "exact"),
    "approx": ("近似", "approximate"),
    "met": ("达成", "met"),
    "likely": ("可能达成", "likely"),
    "unlikely": ("不太可能", "unlikely"),
    "missed": ("未达成", "missed"),
}


def word(key: str, lang: str, **fields: object) -> str:
    """The report's word ``key`` in ``lang``."""
    text = WORDS[key][LANGS.index(lang)]
    return text.format(**fields) if fields else text


def _plain_label(name: str, lang: str = "en") -> str:
    return name


@dataclass
class ProvinceReport:
    """What the province report shows."""

    province: Province
    rollup: ProvinceRollup
    package: str
    baseline: str | None = None
    assessment: pd.DataFrame | None = None
    gaps: pd.DataFrame | None = None
    command: str = ""


@dataclass
class Written:
    """Files the report wrote, and a note for the user (Excel or a font missing)."""

    files: list[Path] = field(default_factory=list)
    note: str = ""


def cjk_font() -> str | None:
    """The CJK font family of the figures, or ``None``.

    The font the project ships (``report.fonts``), else an installed family with CJK glyphs
    (``CJK_FAMILIES``).
    """
    from countysim.report.fonts import FontError, use_cjk_font

    try:
        return use_cjk_font()
    except FontError:
        pass
    installed = {f.name for f in font_manager.fontManager.ttflist}
    for family in CJK_FAMILIES:
        if family in installed:
            return family
    return None


def _save(fig: Figure, path: Path) -> bytes:
    buffer = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fig.savefig(buffer, format="png", dpi=100)
    png = buffer.getvalue()
    path.write_bytes(png)
    return png


def small_multiples(
    series: pd.DataFrame, indicator: str, package: str, baseline: str | None, title: str, font: str | None
) -> Figure:
    """One small panel per county: ``indicator``'s mean series under the package (and its baseline)."""
    counties = list(dict.fromkeys(series["county"]))
    n = len(counties)
    cols = int(np.ceil(np.sqrt(n * 1.6)))
    rows = int(np.ceil(n / cols))
    fig = Figure(figsize=(1.6 * cols + 0.6, 1.2 * rows + 0.8), layout="constrained")
    axes = fig.subplots(rows, cols, sharex=True, sharey=True, squeeze=False)
    months = list(dict.fromkeys(series["month"]))
    x = np.arange(len(months))
    for k, county in enumerate(counties):
        ax = axes[k // cols][k % cols]
        mine = series[series["county"] == county]
        for name, style in ((package, "-"), (baseline, "--")):
            if name is None:
                continue
            part = mine[mine["package"] == name]
            ax.plot(
                x[: len(part)],
                part[indicator].to_numpy(),
                style,
                lw=1.0,
                color="C0" if style == "-" else "C7",
            )
        key = bool(mine["key_assisted"].iloc[0])
        label = county + (" *" if key else "")
        ax.set_title(label if font or label.isascii() else f"#{k + 1}" + (" *" if key else ""), fontsize=7,
                     fontfamily=font or None)  # fmt: skip
        ticks = [i for i, m in enumerate(months) if m.endswith("-01")] or [0]
        ax.set_xticks(ticks, [months[i][2:4] for i in ticks])
        ax.tick_params(labelsize=6)
    for k in range(n, rows * cols):
        axes[k // cols][k % cols].set_visible(False)
    fig.suptitle(title, fontsize=10, fontfamily=font or None)
    return fig


def needs_figure(
    total: pd.DataFrame, package: str, items: Sequence[str], title: str, font: str | None
) -> Figure:
    """The province's total needs by year: one bar panel per item, with its 90 % interval."""
    fig = Figure(figsize=(3.0 * len(items), 2.6), layout="constrained")
    axes = fig.subplots(1, len(items), squeeze=False)[0]
    part = total[total["package"] == package]
    for ax, item in zip(axes, items, strict=True):
        rows = part[part["item"] == item]
        mean = rows["mean"].to_numpy()
        err = np.vstack([mean - rows["lo90"].to_numpy(), rows["hi90"].to_numpy() - mean])
        ax.bar(rows["year"].astype(str), mean, yerr=np.nan_to_num(err), color="C0", capsize=2)
        ax.set_title(item, fontsize=8)
        ax.tick_params(labelsize=6)
    fig.suptitle(title, fontsize=10, fontfamily=font or None)
    return fig


def _fmt(x: object, unit: str = "", sign: bool = False) -> str:
    return number(x, unit, sign=sign)


def summary_table(data: ProvinceReport, lang: str, label: Callable[[str, str], str]) -> pd.DataFrame:
    """The headline indicators at the horizon, every package: mean [90 % interval]."""
    s = data.rollup.summary(list(HEADLINE))
    rows = []
    for name in HEADLINE:
        unit = CATALOGUE_BY_NAME[name].unit
        row = {word("indicator", lang): label(name, lang), word("unit", lang): unit}
        for p in data.rollup.packages:
            r = s[(s["indicator"] == name) & (s["package"] == p)].iloc[0]
            row[p] = f"{_fmt(r['mean'], unit)} [{_fmt(r['lo90'], unit)}, {_fmt(r['hi90'], unit)}]"
        rows.append(row)
    return pd.DataFrame(rows)


def targets_table(data: ProvinceReport, lang: str, label: Callable[[str, str], str]) -> pd.DataFrame | None:
    """The province targets: scope, target, mean, interval, probability, verdict, gap (and effect)."""
    a = data.assessment
    if a is None or a.empty:
        return None
    rows = []
    for r in a.itertuples():
        row = {
            word("target", lang): r.id,
            word("counties", lang): word("key" if r.counties == "key_assisted" else "all", lang),
            word("indicator", lang): f"{label(r.indicator, lang)} {r.op} {_fmt(r.value, r.unit)} ({r.at})",
            word("mean", lang): _fmt(r.mean, r.unit),
            word("interval", lang): f"{_fmt(r.lo90, r.unit)} – {_fmt(r.hi90, r.unit)}",
            word("probability", lang): f"{r.probability:.2f}",
            word("verdict", lang): word(r.verdict, lang),
            word("gap", lang): _fmt(r.gap, r.unit, sign=True),
        }
        if "effect" in a.columns:
            row[word("effect", lang)] = (f"{_fmt(r.effect, r.unit, sign=True)} ({_fmt(r.effect_lo90, r.unit)} – "
                                         f"{_fmt(r.effect_hi90, r.unit)})")  # fmt: skip
        rows.append(row)
    return pd.DataFrame(rows)


def gaps_table(data: ProvinceReport, lang: str) -> pd.DataFrame | None:
    """Every county's gap to its share of each target, farthest behind first."""
    g = data.gaps
    if g is None or g.empty:
        return None
    return pd.DataFrame({
        word("target", lang): g["target"], word("rank", lang): g["rank"], word("county", lang): g["county"],
        word("key_assisted", lang): [word("yes" if k else "no", lang) for k in g["key_assisted"]],
        word("county_target", lang): [_fmt(v) for v in g["county_target"]],
        word("mean", lang): [_fmt(v) for v in g["mean"]], word("gap", lang): [_fmt(v, sign=True) for v in g["gap"]],
    })  # fmt: skip


def pool_table(data: ProvinceReport, lang: str) -> tuple[pd.DataFrame | None, str]:
    """The provincial transfer pool of the report's package at the horizon: each county's and the province's.

    Returns:
        The table (``None`` when the package has no pool) and its caption.
    """
    r = data.rollup
    package = data.province.package(data.package)
    if package.transfer_pool is None or r.pool_county.empty:
        return None, ""
    p = r.packages.index(data.package)
    end = r.months[-1]
    rows = r.pool_county[(r.pool_county["package"] == data.package) & (r.pool_county["month"] == end)]

    def cell(values: np.ndarray) -> str:
        mean, lo, hi = (float(np.mean(values)), *np.quantile(values, [0.05, 0.95]))
        return f"{_fmt(mean / 1e4)} [{_fmt(lo / 1e4)}, {_fmt(hi / 1e4)}]"

    ranked = []
    for county, g in rows.groupby("county", sort=False):
        transfer = g["provincial_transfer_cum_yuan"].to_numpy()
        ranked.append((-float(np.mean(transfer)), len(ranked), {
            word("county", lang): county,
            word("key_assisted", lang): word("yes" if g["key_assisted"].iloc[0] else "no", lang),
            word("settled", lang): _fmt(g["settled_persons_cum"].mean(), "persons"),
            word("settled_share", lang): _fmt(g["settled_share"].mean(), "share"),
            word("transfer_cum", lang): cell(transfer),
        }))  # fmt: skip
    out = [row for *_, row in sorted(ranked, key=lambda t: t[:2])]  # the largest transfer first
    groups = [("province", "all")] + ([("key", "key_assisted")] if data.province.key_assisted else [])
    for key, group in [*groups, ("unallocated", "unallocated")]:
        out.append({word("county", lang): word(key, lang), word("key_assisted", lang): "",
                    word("settled", lang): "", word("settled_share", lang): "",
                    word("transfer_cum", lang): cell(r.pool_totals[group][p, :, -1])})  # fmt: skip
    caption = word("pool", lang, yuan=_fmt(package.transfer_pool.yuan_per_year / 1e4), package=data.package,
                   end=end)  # fmt: skip
    return pd.DataFrame(out), caption


def needs_tables(
    data: ProvinceReport, lang: str, label: Callable[[str, str], str]
) -> tuple[pd.DataFrame | None, pd.DataFrame | None, int | None]:
    """The province's total needs by year, and each county's in the last full year of the horizon."""
    total, by_county = data.rollup.needs_total, data.rollup.needs
    if total.empty:
        return None, None, None
    t = total[total["package"] == data.package]
    tt = pd.DataFrame({
        word("year", lang): t["year"], word("item", lang): [label(i, lang) for i in t["item"]],
        word("mean", lang): [_fmt(v) for v in t["mean"]],
        word("interval", lang): [f"{_fmt(lo)} – {_fmt(hi)}" for lo, hi in zip(t["lo90"], t["hi90"], strict=True)],
        word("unit", lang): t["unit"],
    })  # fmt: skip
    months = data.rollup.months
    full = [int(y) for y in sorted({m[:4] for m in months}) if sum(m.startswith(y) for m in months) == 12]
    year = full[-1] if full else int(months[-1][:4])
    c = by_county[(by_county["package"] == data.package) & (by_county["year"] == year)]
    wide = c.pivot_table(index="county", columns="item", values="mean", sort=False)
    order = list(dict.fromkeys(c["item"]))
    wide = wide[order]
    wide.columns = [label(i, lang) for i in order]
    wide.index.name = word("county", lang)
    return tt, wide.reset_index(), year


def rules_table(lang: str, label: Callable[[str, str], str]) -> pd.DataFrame:
    """How each indicator rolls up (kind, denominator, exact or approximate)."""
    rows = []
    for name, rule in RULES.items():
        den = " + ".join(("−" if c < 0 else "") + "×".join(prod) for c, prod in rule.den).replace("+ −", "− ")
        if rule.kind == "difference":
            den = " − ".join(rule.parts)
        rows.append({word("indicator", lang): label(name, lang), "name": name, word("rule", lang): rule.kind,
                     "denominator": den, word("exact", lang): word("exact" if rule.exact else "approx", lang),
                     "note": rule.note})  # fmt: skip
    return pd.DataFrame(rows)


def _markdown(frame: pd.DataFrame) -> str:
    cols = [str(c) for c in frame.columns]
    lines = ["| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
    for row in frame.itertuples(index=False):
        lines.append("| " + " | ".join(str(v).replace("|", "\\|") for v in row) + " |")
    return "\n".join(lines)


def write_report(
    data: ProvinceReport,
    out_dir: str | Path,
    lang: str = "zh",
    label: Callable[[str, str], str] = _plain_label,
) -> Written:
    """Write ``report.html``, ``report.md``, the figures and every table (CSV, and Excel if possible).

    Args:
        data: what to show.
        out_dir: the folder (created).
        lang: ``"zh"`` (default) or ``"en"``.
        label: ``label(name, lang)`` for indicators, levers and needs items.

    Raises:
        ValueError: for a language not in ``LANGS``.
    """
    if lang not in LANGS:
        raise ValueError(f"unknown language {lang!r}; allowed: {', '.join(LANGS)}")
    out = Path(out_dir)
    (out / "tables").mkdir(parents=True, exist_ok=True)
    written = Written()
    notes = []
    font = cjk_font() if lang == "zh" else None
    fig_lang = lang if (lang == "en" or font) else "en"
    if lang == "zh" and font is None:
        notes.append(word("font_missing", lang))
    p, r = data.province, data.rollup
    sections: list[tuple[str, str, list[tuple[str, pd.DataFrame]], list[str]]] = []
    facts = word("facts", lang, n=len(p.counties), k=len(p.key_assisted), packages=", ".join(r.packages),
                 reps=r.reps, seed=p.seed, start=r.months[0], end=r.months[-1])  # fmt: skip
    tables: list[tuple[str, pd.DataFrame]] = [("province_summary", summary_table(data, lang, label))]
    targets = targets_table(data, lang, label)
    if targets is not None:
        tables.append(("province_targets", targets))
    pool, pool_caption = pool_table(data, lang)
    if pool is not None:
        tables.append((pool_caption, pool))
    sections.append((word("s1", lang), facts + " " + word("summary_note", lang), tables, []))
    gaps = gaps_table(data, lang)
    sections.append((word("s2", lang), word("gaps_note", lang) if gaps is not None else word("no_targets", lang),
                     [("county_gaps", gaps)] if gaps is not None else [], []))  # fmt: skip
    figures = []
    if not r.county_series.empty:
        for k, name in enumerate(HEADLINE_SERIES):
            if name not in r.county_series.columns:
                continue
            title = f"{label(name, fig_lang)} ({CATALOGUE_BY_NAME[name].unit.split(' (')[0]})"
            fig = small_multiples(r.county_series, name, data.package, data.baseline, title, font)
            path = out / f"multiples_{k + 1}_{name}.png"
            _save(fig, path)
            written.files.append(path)
            figures.append(path.name)
    sections.append((word("s3", lang), word("multiples_note", lang, package=data.package,
                                             baseline=data.baseline or "—"), [], figures))  # fmt: skip
    total, by_county, year = needs_tables(data, lang, label)
    if total is not None:
        items = [i for i in ("seat_gap_primary", "housing_unit_gap", "training_place_gap", "fiscal_cost_yuan")
                 if i in set(r.needs_total["item"])]  # fmt: skip
        fig = needs_figure(r.needs_total, data.package, items, word("needs_total", fig_lang), font)
        path = out / "needs_total.png"
        _save(fig, path)
        written.files.append(path)
        sections.append((word("s4", lang), "", [(word("needs_total", lang), total),
                                                (word("needs_county", lang, year=year), by_county)], [path.name]))  # fmt: skip
    rules = rules_table(lang, label)
    reproduce = (f"command: {data.command or '(from Python)'}\nprovince file: {p.source_file}\nexperiment: "
                 f"{p.experiment}; province seed {p.seed}; written {datetime.now(UTC):%Y-%m-%d %H:%M UTC}")  # fmt: skip
    sections.append((word("s5", lang), word("rules", lang), [("rollup_rules", rules)], []))

    # every table as CSV (and one workbook)
    named: dict[str, pd.DataFrame] = {"province_summary": tables[0][1], "rollup_rules": rules}
    if targets is not None:
        named["province_targets"] = targets
        named["province_assessment_raw"] = data.assessment
    if pool is not None:
        named["transfer_pool"] = pool
        named["transfer_pool_by_county"] = r.pool_county
    if gaps is not None:
        named["county_gaps"] = gaps
    if total is not None:
        named["needs_total"] = total
        named["needs_by_county"] = by_county
        named["needs_by_county_all_years"] = r.needs
    if not r.county_values.empty:
        named["county_values"] = r.county_values
    for key, frame in named.items():
        path = out / "tables" / f"{key}.csv"
        frame.to_csv(path, index=False, float_format="%.10g", encoding="utf-8-sig")
        written.files.append(path)
    if importlib.util.find_spec("openpyxl") is not None:
        path = out / "tables.xlsx"
        with pd.ExcelWriter(path) as xl:
            for key, frame in named.items():
                frame.to_excel(xl, sheet_name=key[:31], index=False)
        written.files.append(path)
    else:
        notes.append(word("excel_missing", lang))

    title = word("title", lang, name=p.name)
    md = [f"# {title}", ""]
    body = []
    for heading, text, frames, pictures in sections:
        md += [f"## {heading}", "", text, ""]
        body.append(f"<h2>{html.escape(heading)}</h2><p>{html.escape(text)}</p>")
        for caption, frame in frames:
            if caption not in named:
                md += [f"**{caption}**", ""]
                body.append(f"<h3>{html.escape(caption)}</h3>")
            md += [_markdown(frame), ""]
            body.append(frame.to_html(index=False, border=0, classes="t"))
        for picture in pictures:
            md += [f"![{picture}]({picture})", ""]
            png = base64.b64encode((out / picture).read_bytes()).decode()
            body.append(f'<p><img alt="{html.escape(picture)}" src="data:image/png;base64,{png}"></p>')
    md += ["```", reproduce, "```", ""]
    body.append(f"<pre>{html.escape(reproduce)}</pre>")
    if notes:
        md += [f"> {n}" for n in notes]
        body += [f"<p><em>{html.escape(n)}</em></p>" for n in notes]
    page = (f'<!DOCTYPE html><html lang="{"zh-CN" if lang == "zh" else "en"}"><head><meta charset="utf-8">'
            f"<title>{html.escape(title)}</title><style>{CSS}img{{max-width:100%}}</style></head><body>"
            f"<h1>{html.escape(title)}</h1>{''.join(body)}</body></html>")  # fmt: skip
    (out / "report.md").write_text("\n".join(md), encoding="utf-8")
    (out / "report.html").write_text(page, encoding="utf-8")
    written.files[:0] = [out / "report.html", out / "report.md"]
    written.note = " ".join(notes)
    return written
