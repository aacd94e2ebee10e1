"""Every label the app shows, in English or Chinese, through one function: :func:`label`.

Levers, indicators, needs items and the notice's pillars are named by their catalogue names
(``s1_training_places_per_year``); the app's own words (page titles, buttons) by a key of
``TEXT``. A catalogue entry is shown with its label from the shared labels file
(:mod:`countysim.labels`, ``data/labels.csv``); a name without one is shown as a readable form of
itself (``S1 training places per year``).
"""

from __future__ import annotations

import re

#: languages the app can show
LANGS = ("en", "zh")

#: the app's own words: key -> (English, Chinese)
TEXT: dict[str, tuple[str, str]] = {
    "app_title": ("countysim — county migrant-worker citizenization", "countysim — 县域农民工市民化"),
    "page_package": ("Try a package", "试算政策包"),
    "page_results": ("Results", "结果库"),
    "page_explorer": ("Model explorer", "模型浏览"),
    "county": ("County scenario", "县情景"),
    "package_name": ("Package name", "政策包名称"),
    "run_settings": ("Run settings", "运行设置"),
    "scale": ("Scale of the county", "县规模比例"),
    "months": ("Months", "月数"),
    "reps": ("Replications (common seeds)", "重复次数（共同随机数）"),
    "seed": ("First seed", "起始随机种子"),
    "start": ("Changed levers start in", "调整的杠杆起始月"),
    "ramp": ("Capacities ramp up over (months)", "容量爬坡月数"),
    "pillars": ("The notice's five pillars", "通知的五项重点任务"),
    "run": ("Run package against its baseline", "对比基线运行"),
    "running": ("Running", "运行中"),
    "save": ("Save package", "保存政策包"),
    "file_name": ("File name", "文件名"),
    "overwrite": ("Overwrite an existing file", "覆盖已有文件"),
    "reset_lever": ("reset", "恢复"),
    "headline": ("Headline series: package vs baseline", "主要指标：政策包与基线"),
    "differences": ("Paired differences at the horizon", "期末配对差异"),
    "needs": ("Resource needs by year", "逐年资源需求"),
    "targets": ("Targets of the notice", "通知目标"),
    "download": ("Download CSV", "下载 CSV"),
    "experiments": ("Experiments in the store", "结果库中的实验"),
    "experiment": ("Experiment", "实验"),
    "sensitivity": ("Sensitivity indices", "敏感性指数"),
    "runs": ("Runs", "运行"),
    "language": ("中文", "English"),
    "no_results": ("No run yet: set the package and press Run.", "尚未运行：设置政策包后点击运行。"),
    "changed": ("changed", "已调整"),
    "status_quo": ("status quo", "现状"),
    "action": ("action", "行动值"),
    "levers_away": ("{n} of {total} levers away from the status quo", "{total} 项杠杆中 {n} 项偏离现状"),
    "levers_in": ("{n} levers ({clauses})", "{n} 项杠杆（{clauses}）"),
    "changed_list": ("{n} lever(s) changed from {file}: {names}", "相对 {file} 调整了 {n} 项杠杆：{names}"),
    "none": ("none", "无"),
    "stale": (
        "The package or the run settings changed since this run: press Run to see their result.",
        "此次运行后政策包或运行设置已更改：点击运行查看新结果。",
    ),
    "final_values": ("Values in the last month", "末月数值"),
    "baseline_is": (
        "baseline: {baseline} (the same county, every lever at its status quo)",
        "基线：{baseline}（同一县，所有杠杆保持现状）",
    ),
    "seed_hint": ("empty: the scenario's seed {seed}", "留空：使用情景的随机种子 {seed}"),
    "save_hint": ("saved as <name>.toml in {folder}", "保存为 {folder} 中的 <名称>.toml"),
    "progress": (
        "{done} of {total} runs · {stage} · {seconds:.1f} s",
        "已完成 {done}/{total} 次运行 · {stage} · {seconds:.1f} 秒",
    ),
    "starting": ("starting", "启动中"),
    "differences_note": (
        "each indicator at the horizon; the interval is the 90 % t-interval of the per-seed differences; "
        "'pairing ×': how many times narrower common seeds made it",
        "各指标期末值；区间为逐种子差异的 90 % t 区间；“pairing ×”：共同随机数使区间缩窄的倍数",
    ),
    "needs_note": (
        "mean (5-95 % across replications); key items of `countysim needs`",
        "均值（各次重复的 5-95 %）；`countysim needs` 的关键项目",
    ),
    "scale_note": (
        "counts and money are those of the county at {scale:g} × its size",
        "人数与金额为 {scale:g} 倍规模县的数值",
    ),
    "targets_scale_note": (
        "targets per child or per person are scaled to the county as run; the notice's own counts (S3) are "
        "for a key assisted county at full size",
        "按每名儿童、每人设定的目标已按所运行的县折算；通知本身的数量目标（S3）按重点帮扶县全规模设定",
    ),
    "settings_note": (
        "the county at {scale:g} × its size ({households:,.0f} households), {months} months from {start}, "
        "{reps} replication(s) of both scenarios",
        "{scale:g} 倍规模的县（{households:,.0f} 户），自 {start} 起 {months} 个月，两个情景各重复 {reps} 次",
    ),
}

#: the notice's pillars (二、重点任务 and 三、工作要求): code -> (English, Chinese)
PILLAR_TITLES: dict[str, tuple[str, str]] = {
    "E": ("Employment and entrepreneurship (E1-E7)", "提高就业创业质量（E1-E7）"),
    "S": ("Skills (S1-S5)", "提升技能水平（S1-S5）"),
    "R": ("Labour rights (R1-R7)", "强化劳动权益保障（R1-R7）"),
    "P": ("County public services (P1-P6)", "加强县域公共服务供给（P1-P6）"),
    "G": (
        "Grassroots services and working requirements (G1-G4, W1, W4)",
        "提升基层服务能力与工作要求（G1-G4、W1、W4）",
    ),
}

_CLAUSE = re.compile(r"^([a-z])(\d+)_")


def readable(name: str) -> str:
    """A catalogue name as words: ``s1_training_places_per_year`` -> ``S1 training places per year``."""
    text = _CLAUSE.sub(lambda m: f"{m.group(1).upper()}{m.group(2)} ", name)
    text = re.sub(r"_cum$", " (cumulative)", text)
    return text.replace("_", " ").strip()


def _catalogue_entry(name: str):
    """The lever, indicator or needs item called ``name``, or ``None``."""
    from countysim.indicators import CATALOGUE_BY_NAME
    from countysim.policy.levers import LEVERS_BY_NAME
    from countysim.resources import ITEMS_BY_NAME

    for catalogue in (LEVERS_BY_NAME, CATALOGUE_BY_NAME, ITEMS_BY_NAME):
        if name in catalogue:
            return catalogue[name]
    return None


def label(name: str, lang: str = "en", **fields: object) -> str:
    """What the app calls ``name`` in language ``lang``.

    Args:
        name: a key of ``TEXT``, a pillar code of ``PILLAR_TITLES``, or the name of a lever,
            indicator or needs item.
        lang: ``"en"`` or ``"zh"``.
        **fields: values for the placeholders of a ``TEXT`` entry (``{n}``, ``{file}``, ...).

    Returns:
        The label; for a catalogue entry without a Chinese name, its English label.

    Raises:
        ValueError: for a language not in ``LANGS``.
    """
    if lang not in LANGS:
        raise ValueError(f"unknown language {lang!r}; allowed: {', '.join(LANGS)}")
    k = LANGS.index(lang)
    if name in TEXT:
        return TEXT[name][k].format(**fields) if fields else TEXT[name][k]
    if name in PILLAR_TITLES:
        return PILLAR_TITLES[name][k]
    from countysim import labels as shared

    entry = shared.find(name)
    if entry is not None:
        return entry.zh if lang == "zh" else entry.en
    return readable(name)


def unit(name: str) -> str:
    """The unit of a lever, indicator or needs item (``""`` if it has none)."""
    entry = _catalogue_entry(name)
    return str(getattr(entry, "unit", "")) if entry is not None else ""
