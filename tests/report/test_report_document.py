"""The report as a document: Chinese by default, summary first, only changed levers, Markdown, Excel."""

from __future__ import annotations

import re

import pandas as pd
import pytest
from markdown_it import MarkdownIt

from countysim.labels import label
from countysim.report.document import HEADLINE, ReportData, build, render


def _text(path) -> str:
    """The file's text; in HTML, cells without their classes (alignment, verdict colours)."""
    return re.sub(r'<td class="[^"]*">', "<td>", path.read_text(encoding="utf-8"))


def test_the_files_are_written_and_the_html_stands_alone(report_zh):
    html = _text(report_zh["html"])
    assert html.startswith('<!DOCTYPE html><html lang="zh-CN">')
    assert html.count("data:image/png;base64,") == 2 and "src='report_" not in html
    for name in ("key_indicators", "resource_needs"):
        assert report_zh[f"figure:{name}"].stat().st_size > 20_000
    assert report_zh["xlsx"].stat().st_size > 5_000


def test_the_summary_comes_first_and_says_what_a_county_head_needs(report_zh):
    html = _text(report_zh["html"])
    headings = re.findall(r"<h2>(.*?)</h2>", html)
    assert headings[:7] == ["摘要", "一、县情底数", "二、政策包与实施安排", "三、主要指标", "四、资源需求（较现状增量）",
                            "五、目标评估", "六、假设与来源"]  # fmt: skip
    summary = html[html.index('<section class="summary"') : html.index("</section>")]
    for name in HEADLINE:  # every headline indicator by its Chinese name, with an interval
        assert f"<td>{label(name, 'zh')}</td>" in summary, name
    assert "～" in summary and "较基线" in summary
    assert "逐年新增资源与预算（较现状）" in summary and "<td>新增财政支出</td><td>万元</td>" in summary
    assert "年新增财政支出合计约" in summary and "万元（90% 区间" in summary
    assert "目标达成情况" in summary and "不适用 3" in summary and "主要说明" in summary
    # both packages side by side
    assert summary.count("full_action") >= 3 and summary.count("skills") >= 3


def test_years_print_without_separators_and_money_in_wan_yuan(report_zh):
    html, md = _text(report_zh["html"]), _text(report_zh["md"])
    for year in ("2023", "2024", "2025"):
        assert f"<th>{year}</th>" in html
    assert not re.search(r"\b2,02\d\b", html + md)
    assert "万元" in html and "元/月" in html
    # no raw yuan in the resources: the summary's budget row is in 万元, a few thousand at most for this county
    row = re.search(r"<td>full_action</td><td>新增财政支出</td><td>万元</td>(.*?)</tr>", html).group(1)
    values = [float(v.replace(",", "")) for v in re.findall(r">([\d,.\-]+)<", row)]
    assert values and max(abs(v) for v in values) < 100_000


def test_only_the_levers_a_package_changes_are_listed(make_data):
    doc = build(make_data())
    skills = next(t for t in doc.tables if t.key == "package_skills")
    assert set(skills.data["条款"]) <= {"S1", "S2", "S3", "S4", "S5"} and len(skills.data) == 9
    full = next(t for t in doc.tables if t.key == "package_full_action")
    assert len(full.data) > len(skills.data)


def test_resource_increments_are_whole_numbers_and_the_assessment_has_a_row_per_target(make_data):
    doc = build(make_data())
    needs = next(t for t in doc.tables if t.key == "needs_skills")
    whole = needs.data[~needs.data["项目"].str.contains("财政")]
    assert (whole[["mean", "lo90", "hi90"]] % 1 == 0).all().all()
    assessment = next(t for t in doc.tables if t.key == "assessment")
    assert len(assessment.shown) == 10
    s3 = assessment.shown[assessment.shown["条款"] == "S3"]
    assert s3["baseline"].str.startswith("不适用").all()
    lb = assessment.shown[assessment.shown["目标"].str.startswith("留守儿童数")].iloc[0]
    assert "每名儿童 0.115，按本县基年折算" in lb["目标"]


def test_report_md_parses_with_every_table_row_intact(make_data, report_zh):
    doc = build(make_data())
    tokens = MarkdownIt("commonmark").enable("table").parse(_text(report_zh["md"]))
    tables, rows, cells = [], 0, []
    for tok in tokens:
        if tok.type == "table_open":
            rows = 0
        elif tok.type == "tr_open":
            rows += 1
            cells.append(0)
        elif tok.type in ("td_open", "th_open"):
            cells[-1] += 1
        elif tok.type == "table_close":
            tables.append(rows)
    shown = [t for t in doc.tables if not t.shown.empty]
    expected = [len(t.shown) + 1 for t in shown]  # header row + body rows
    assert tables == expected
    widths = iter(cells)
    for t in shown:  # every row keeps every column
        for _ in range(len(t.shown) + 1):
            assert next(widths) == len(t.shown.columns), t.key


def test_the_workbook_holds_every_table_as_numbers(make_data, report_zh):
    doc = build(make_data())
    book = pd.read_excel(report_zh["xlsx"], sheet_name=None)
    assert len(book) == len(doc.tables)
    assert {"headline", "extra_resources", "assessment", "baseline", "parameters"} <= set(book)
    head = book["headline"]
    assert pd.api.types.is_float_dtype(head["baseline mean"]) and len(head) == len(HEADLINE)
    assert pd.api.types.is_numeric_dtype(book["extra_resources"]["2024"])


def test_english_on_request(report_en):
    html = _text(report_en["html"])
    assert '<html lang="en">' in html and "<h2>Summary</h2>" in html
    assert f"<td>{label('contract_rate', 'en')}</td>" in html and "摘要" not in html


def test_a_status_quo_report_of_one_scenario(runs, tmp_path):
    scenarios, by_name = runs
    data = ReportData(baseline=scenarios[0], baseline_results=by_name[scenarios[0].name])
    paths = render(data, tmp_path)
    html = _text(paths["html"])
    assert "现状分析报告" in html and "四、资源需求" in html and "未给出目标文件" in html


def test_a_report_needs_finished_runs(runs):
    scenarios, _ = runs
    with pytest.raises(ValueError, match="at least one finished run"):
        build(ReportData(baseline=scenarios[0], baseline_results=[]))


def test_a_cell_with_a_bar_or_a_line_break_keeps_its_row_whole():
    from countysim.report.document import Document, Table, to_markdown

    frame = pd.DataFrame({"参数": ["a | b", "c"], "来源": ["line one\nline two", "d"]})
    doc = Document("t", "m", [("table", Table("x", "x", frame, frame))], [], {}, "zh")
    tokens = MarkdownIt("commonmark").enable("table").parse(to_markdown(doc, "r"))
    rows = [t for t in tokens if t.type == "tr_open"]
    cells = [t.content for t in tokens if t.type == "inline"][
        4:
    ]  # after the title, the meta line, the header
    assert len(rows) == 3 and cells == ["a | b", "line one line two", "c", "d"]


def test_the_caveats_say_which_uncertainty_the_intervals_include(runs, tmp_path):
    scenarios, by_name = runs
    plain = ReportData(baseline=scenarios[0], baseline_results=by_name[scenarios[0].name])
    over = ReportData(
        baseline=scenarios[0], baseline_results=by_name[scenarios[0].name], posterior="nbs-2019-2022"
    )
    plain_html = _text(render(plain, tmp_path / "plain")["html"])
    over_html = _text(render(over, tmp_path / "over")["html"])
    assert "行为参数的不确定性未计入" in plain_html and "nbs-2019-2022" not in plain_html
    assert "行为参数的不确定性（每次重复取后验集合“nbs-2019-2022”" in over_html
    assert "行为参数的不确定性未计入" not in over_html
