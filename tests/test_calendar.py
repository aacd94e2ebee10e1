import pytest

from countysim.calendar import Month, month_label, month_labels, parse_month, spring_festival_month


def test_parse_and_label_round_trip():
    for label in ("2023-01", "2024-12", "2030-06"):
        assert month_label(parse_month(label)) == label


@pytest.mark.parametrize("bad", ["2023-13", "2023-1", "23-01", "2023/01", "", "2023-00"])
def test_bad_month_labels_are_rejected(bad):
    with pytest.raises(ValueError, match="YYYY-MM"):
        parse_month(bad)


def test_spring_festival_months():
    assert spring_festival_month(2023) == 1  # 22 January 2023
    assert spring_festival_month(2024) == 2  # 10 February 2024
    with pytest.raises(ValueError, match="calendar covers"):
        spring_festival_month(1990)


def test_month_flags():
    start = parse_month("2024-01")
    feb = Month.at(start, 1)
    assert feb.spring_festival and not feb.post_festival
    assert Month.at(start, 2).post_festival and Month.at(start, 3).post_festival
    assert not Month.at(start, 4).post_festival
    assert Month.at(start, 8).school_year_start
    assert Month.at(start, 0).annual_plan and not Month.at(start, 1).annual_plan


def test_month_labels():
    assert month_labels("2023-11", 3) == ("2023-11", "2023-12", "2024-01")
