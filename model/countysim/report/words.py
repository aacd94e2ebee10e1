"""The report's own words in simplified Chinese and English (catalogue names come from ``countysim.labels``)."""

from __future__ import annotations

#: key -> (Chinese, English); ``{name}`` placeholders are filled by :func:`word`
WORDS: dict[str, tuple[str, str]] = {
    "title": (
        "{county}农民工市民化政策评估报告",
        "Citizenization of migrant workers in {county}: policy assessment",
    ),
    "title_one": (
        "{county}农民工市民化现状分析报告",
        "Citizenization of migrant workers in {county}: status quo",
    ),
    "meta": (
        "{n} 个情景 · 每个情景 {reps} 次重复（共同随机数，种子 {seeds}）· {start} 至 {end} · 生成于 {stamp}",
        "{n} scenario(s) · {reps} replications each (common random numbers, seeds {seeds}) · {start} to {end} · written {stamp}",
    ),
    "summary": ("摘要", "Summary"),
    "summary_intro": (
        "本报告比较{packages}与现状（基线：{baseline}，各项政策保持现状）。数值为 {end} 的模拟均值，括号内为 {reps} 次重复的 90% 区间；"
        "“较基线”为同一随机种子下政策包与基线之差（配对比较）。",
        "This report compares {packages} with the status quo (baseline: {baseline}, every lever as it is). Values are "
        "simulated means at {end}, with 90 % intervals over {reps} replications in brackets; 'vs baseline' is the "
        "difference from the baseline on the same seeds (paired).",
    ),
    "summary_intro_one": (
        "本报告给出现状情景（{baseline}）下的县域农民工市民化状况。数值为 {end} 的模拟均值，括号内为 {reps} 次重复的 90% 区间。",
        "This report shows the county under the status quo ({baseline}). Values are simulated means at {end}, with "
        "90 % intervals over {reps} replications in brackets.",
    ),
    "headline": ("主要指标（{end}）", "Headline indicators ({end})"),
    "indicator": ("指标", "Indicator"),
    "unit": ("单位", "Unit"),
    "baseline": ("基线", "Baseline"),
    "vs_baseline": ("较基线", "vs baseline"),
    "extra": (
        "逐年新增资源与预算（较现状）",
        "Extra resources and budget against the status quo, year by year",
    ),
    "extra_note": (
        "政策包所需减去现状所需，按年；学位、教师、保障房为当年需求之差，财政支出为当年支出之差（万元）。",
        "What the package needs less what the status quo needs, by year; seats, teachers and units are the year's "
        "needs, spending the year's spending (10,000 yuan, 萬元).",
    ),
    "package": ("政策包", "Package"),
    "item": ("项目", "Item"),
    "budget_total": (
        "{package}：{years} 年新增财政支出合计约 {total} 万元（90% 区间 {lo}～{hi} 万元）。",
        "{package}: extra spending over {years} of about {total} × 10,000 yuan (90 % interval {lo} to {hi}).",
    ),
    "targets_summary": ("目标达成情况", "Targets met and missed"),
    "targets_line": (
        "{scenario}：{counts}。",
        "{scenario}: {counts}.",
    ),
    "targets_missed": ("未达成或难以达成：{names}", "missed or unlikely: {names}"),
    "caveats": ("主要说明", "Main caveats"),
    "caveat_population": (
        "人口为按全国监测数据边际分布合成的县域农民工家庭（县情表给出的数据除外），不是实际登记人口；结果是情景比较，不是预测。",
        "The population is synthetic, drawn from national monitoring marginals (except the county sheet's own "
        "figures), not the registered population; results compare scenarios, they do not forecast.",
    ),
    "caveat_uncertainty": (
        "区间只反映 {reps} 次重复的随机性；行为参数的不确定性未计入，实际不确定性更大。",
        "Intervals show the noise of {reps} replications only; uncertainty in behavioural parameters is not "
        "included, so the real uncertainty is larger.",
    ),
    "caveat_uncertainty_posterior": (
        "区间反映 {reps} 次重复的随机性和行为参数的不确定性（每次重复取后验集合“{name}”中的一组参数，各情景相同）；"
        "模型结构的不确定性未计入。",
        "Intervals show the noise of {reps} replications and the uncertainty in behavioural parameters (each "
        "replication takes one parameter set of the posterior ensemble '{name}', the same for every scenario); "
        "uncertainty in the model's structure is not included.",
    ),
    "caveat_costs": (
        "财政支出按单位成本假设计算（见“假设与来源”），只含本行动相关的县级支出。",
        "Spending uses assumed unit costs (see Assumptions and sources) and counts the county's spending on the action only.",
    ),
    "caveat_targets": (
        "目标中的省级类指标为假设值（见目标文件注释），应以本省规划替换。",
        "Province-style goals among the targets are assumptions (see the targets file's comments): replace them with "
        "your province's plan.",
    ),
    "s_baseline": ("一、县情底数", "1. County baseline"),
    "s_baseline_note": (
        "县情参数与 {first} 模拟首月的主要数值（{reps} 次重复均值）。",
        "The county's profile and its first simulated month ({first}, mean of {reps} replications).",
    ),
    "s_package": ("二、政策包与实施安排", "2. Package and schedule"),
    "s_package_note": (
        "只列出与基线不同的政策杠杆；其余保持现状。",
        "Only the levers a package changes from the baseline; all others stay as they are.",
    ),
    "no_levers": ("与基线相同，未调整政策杠杆。", "The same as the baseline: no lever changed."),
    "clause": ("条款", "Clause"),
    "lever": ("政策杠杆", "Lever"),
    "before": ("基线值", "Baseline value"),
    "value": ("政策包值", "Package value"),
    "start": ("起始月份", "Starts"),
    "ramp": ("爬坡月数", "Ramp (months)"),
    "s_indicators": ("三、主要指标", "3. Key indicators"),
    "s_indicators_note": (
        "图中实线为均值，阴影为 5%—95% 区间；表为 {end} 的数值。",
        "Lines are means, shading the 5-95 % band; the table gives the values at {end}.",
    ),
    "s_needs": ("四、资源需求（较现状增量）", "4. Resource needs (increments over the status quo)"),
    "s_needs_note": (
        "每年所需减去现状所需（同一种子配对），括号内为 90% 区间；班级、学位、教师、住房取整数，金额为万元。现状本身的需求见附录。",
        "Each year's needs less the status quo's (paired on seeds), 90 % interval in brackets; classes, seats, "
        "teachers and units are whole numbers, money in 10,000 yuan (萬元). The status quo's own needs are in the appendix.",
    ),
    "s_needs_one": ("四、资源需求", "4. Resource needs"),
    "s_needs_one_note": (
        "现状下每年所需，括号内为 90% 区间；班级、学位、教师、住房取整数，金额为万元。",
        "Each year's needs under the status quo, 90 % interval in brackets; whole numbers, money in 10,000 yuan (萬元).",
    ),
    "s_assessment": ("五、目标评估", "5. Assessment against targets"),
    "s_assessment_note": (
        "每项目标一行：检查月份的均值（90% 区间）与达成概率（各次重复中达成的比例）。结论：达成（≥0.9）、可能达成（≥0.5）、难以达成（>0.1）、未达成。目标文件：{file}。",
        "One row per target: the mean (90 % interval) at its month and the probability of meeting it (the share of "
        "replications that do). Verdicts: met (≥ 0.9), likely (≥ 0.5), unlikely (> 0.1), missed. Targets file: {file}.",
    ),
    "no_targets": (
        "未给出目标文件（--targets），不作评估。",
        "No targets file given (--targets): no assessment.",
    ),
    "target": ("目标", "Target"),
    "at": ("检查月份", "Checked at"),
    "s_assumptions": ("六、假设与来源", "6. Assumptions and sources"),
    "s_assumptions_note": (
        "与全国默认值不同的县情参数（全部参数、单位与来源见附录和 docs/parameters.md）；资源测算标准见 countysim/data/norms.csv。",
        "County parameters that differ from the national defaults (every parameter with unit and source: appendix and "
        "docs/parameters.md); planning norms: countysim/data/norms.csv.",
    ),
    "key": ("参数", "Parameter"),
    "code": ("代码", "Name"),
    "no_changes": ("县情参数均为全国默认值。", "Every county parameter is the national default."),
    "default": ("默认值", "Default"),
    "source": ("来源或假设", "Source or assumption"),
    "appendix": ("附录", "Appendix"),
    "a_indicators": ("附表1　全部指标期末值", "Table A1. Every indicator at the horizon"),
    "a_needs": ("附表2　资源需求明细（{scenario}）", "Table A2. Resource needs in full ({scenario})"),
    "a_params": ("附表3　全部参数", "Table A3. Every parameter"),
    "reproduce": ("复现信息", "Reproduce"),
    "figure_indicators": ("图1　主要指标随时间变化", "Figure 1. Headline indicators over time"),
    "figure_needs": (
        "图2　逐年新增资源需求（较现状）",
        "Figure 2. Extra resources needed each year (vs the status quo)",
    ),
    "figure_needs_one": ("图2　逐年资源需求", "Figure 2. Resources needed each year"),
    "month": ("月份", "Month"),
    "year": ("年份", "Year"),
    "yes": ("是", "yes"),
    "no": ("否", "no"),
    "wan_yuan": ("万元", "10,000 yuan"),
    "county_name": ("县名", "County"),
    "province": ("省份", "Province"),
    "hukou_population": ("户籍人口", "Hukou population"),
    "migrant_households": ("农民工家庭户数", "Migrant-worker households"),
    "key_assisted": ("国家乡村振兴重点帮扶县", "National key assisted county"),
    "from_profile": ("县情参数", "profile"),
    "from_model": ("模拟 {first}", "model, {first}"),
    "from": ("来源", "From"),
    "value_col": ("数值", "Value"),
    "note": ("说明", "Note"),
    "mean_interval": ("均值（90% 区间）", "Mean (90 % interval)"),
    "p_verdict": ("达成概率·结论", "P(meet) · verdict"),
    "met": ("达成", "met"),
    "likely": ("可能达成", "likely"),
    "unlikely": ("难以达成", "unlikely"),
    "missed": ("未达成", "missed"),
    "not applicable": ("不适用", "not applicable"),
    "not_applicable_note": (
        "不适用：仅适用于国家乡村振兴重点帮扶县，本县不是",
        "not applicable: for key assisted counties only; this county is not one",
    ),
    "not_applicable_note_other": (
        "不适用：仅适用于非重点帮扶县",
        "not applicable: for counties that are not key assisted",
    ),
    "threshold_per": (
        "（每{per} {value}，按本县基年折算）",
        " ({value} {per}, scaled to the county's base year)",
    ),
    "per_worker": ("名劳动力", "per worker"),
    "per_child": ("名儿童", "per child"),
    "per_household": ("户", "per household"),
    "per_person": ("人", "per person"),
    "extra_budget": ("新增财政支出", "Extra spending"),
    "extra_seats": ("新增公办学位需求（小学和初中）", "Extra public seats needed (primary + junior)"),
    "extra_classes": ("新增班级（小学和初中）", "Extra classes (primary + junior)"),
    "extra_teachers": ("新增教师（小学和初中）", "Extra teachers (primary + junior)"),
    "extra_units": ("新增保障性租赁住房需求", "Extra affordable units needed"),
    "extra_training": ("新增培训名额", "Extra training places"),
    "places": ("个", "places"),
}


def word(key: str, lang: str, **fields: object) -> str:
    """The report's word for ``key`` in ``lang`` (``zh`` or ``en``), placeholders filled."""
    text = WORDS[key][0 if lang == "zh" else 1]
    return text.format(**fields) if fields else text
