"""Inline SVG charts: accessible markup, escaped text, a table fallback."""

import re
from datetime import date

import pytest

from collis.lib.charts import Marker, Series, line_chart, month_starts


def test_chart_has_title_description_and_one_polyline_per_series():
    chart = line_chart(
        "TWSTRS <total>",
        [
            Series("Baseline", ((date(2026, 1, 1), 40), (date(2026, 4, 1), 38))),
            Series("Peak", ((date(2026, 2, 5), 25),)),
        ],
        y_min=0,
        y_max=85,
        y_label="TWSTRS total",
        markers=[Marker(date(2026, 1, 1), "Injection")],
    )
    assert 'role="img"' in chart.svg
    assert "<title id=" in chart.svg and "TWSTRS &lt;total&gt;" in chart.svg
    assert chart.svg.count("<polyline") == 2
    assert chart.svg.count("<circle") == 3
    assert chart.table_headers == ("Date", "Baseline", "Peak")
    assert chart.table_rows[0] == ("2026-01-01", "40", "—")
    assert chart.table_rows[1] == ("2026-02-05", "—", "25")
    assert len(chart.table_rows) == 3  # the marker-only date has no row
    assert not chart.is_empty


def test_values_outside_the_axis_are_clamped_into_the_plot():
    chart = line_chart(
        "x", [Series("s", ((date(2026, 1, 1), 99),))], y_min=0, y_max=10, y_label="y"
    )
    assert 'cy="16.0"' in chart.svg  # the top of the plot area


def test_empty_series_give_an_empty_state():
    chart = line_chart("Diary", [Series("Pain", ())], y_min=0, y_max=10, y_label="0–10")
    assert chart.is_empty and chart.svg == "" and chart.table_rows == ()


def test_bad_axis_rejected():
    with pytest.raises(ValueError):
        line_chart("x", [], y_min=5, y_max=5, y_label="y")


def test_text_in_series_names_is_escaped():
    chart = line_chart(
        "x", [Series("<script>", ((date(2026, 1, 1), 1),))], y_min=0, y_max=10, y_label="y"
    )
    assert "<script>" not in chart.svg


@pytest.mark.parametrize(
    ("low", "high", "ticks"),
    [(0, 85, [0, 20, 40, 60, 80]), (0, 10, [0, 2, 4, 6, 8, 10]), (-90, 90, [-50, 0, 50])],
)
def test_axis_ticks_are_round_numbers(low, high, ticks):
    from collis.lib.charts import axis_ticks

    assert axis_ticks(low, high)[: len(ticks)] == ticks


def test_numeric_x_axis_has_round_ticks_units_and_a_table():
    """Series over seconds get tick labels with the unit and the x label as table header."""
    chart = line_chart(
        "Angles over time",
        [Series("Rotation", ((0.0, 1.0), (5.0, 3.0), (10.0, -2.0)))],
        y_min=-10,
        y_max=10,
        y_label="degrees",
        x_label="Time (s)",
        x_unit=" s",
    )
    assert chart.table_headers == ("Time (s)", "Rotation")
    assert chart.table_rows[0] == ("0 s", "1") and chart.table_rows[-1] == ("10 s", "-2")
    for tick in ("0 s", "2 s", "4 s", "10 s"):
        assert f">{tick}</text>" in chart.svg
    assert 'cx="64.0"' in chart.svg and 'cx="624.0"' in chart.svg  # 0 s left, 10 s right


def test_line_only_charts_draw_no_point_markers():
    points = tuple((i / 30, float(i % 7)) for i in range(300))
    chart = line_chart(
        "x", [Series("s", points)], y_min=0, y_max=10, y_label="y", point_markers=False
    )
    assert "<circle" not in chart.svg and chart.svg.count("<polyline") == 1


@pytest.mark.parametrize(
    ("low", "high", "ticks"),
    [(0, 1, [0, 0.2, 0.4, 0.6, 0.8, 1.0]), (0, 0.3, [0, 0.1, 0.2, 0.3]), (0, 12, [0, 5, 10])],
)
def test_axis_ticks_of_small_spans_are_round(low, high, ticks):
    from collis.lib.charts import axis_ticks

    assert axis_ticks(low, high) == ticks


def test_date_axes_mark_the_months_between_their_ends():
    """Only the first and last dates were written: a 6-month diary read as one blank span."""
    chart = line_chart(
        "Diary",
        [Series("Pain", ((date(2026, 6, 5), 3.0), (date(2026, 11, 27), 4.0)))],
        y_min=0,
        y_max=10,
        y_label="0–10",
    )
    labels = re.findall(r'stroke="#8793a3"/><text[^>]*>([^<]+)</text>', chart.svg)
    assert labels == ["Aug", "Sep", "Oct"]  # Jul and Nov sit too near the written end dates


def test_month_marks_thin_out_and_name_the_year_at_january():
    starts = month_starts(date(2025, 1, 18), date(2026, 11, 24), 560)
    # 22 months: every third month, none within 160 of the 560 units of either end.
    assert [d.isoformat() for d in starts] == ["2025-10-01", "2026-01-01", "2026-04-01"]
    chart = line_chart(
        "TWSTRS",
        [Series("Total", ((date(2025, 1, 18), 40.0), (date(2026, 11, 24), 30.0)))],
        y_min=0,
        y_max=85,
        y_label="total",
        month_names=tuple(f"M{n}" for n in range(1, 13)),
    )
    assert ">M1 2026</text>" in chart.svg and ">M4</text>" in chart.svg and ">M7<" not in chart.svg
    assert month_starts(date(2026, 11, 1), date(2026, 11, 27), 560) == []
    assert month_starts(date(2010, 1, 1), date(2026, 11, 27), 560) == []  # 17 years: none


def test_number_axes_get_no_month_marks():
    chart = line_chart(
        "Angles", [Series("Roll", ((0.0, 1.0), (400.0, 2.0)))], y_min=-5, y_max=5, y_label="°"
    )
    assert "Jan" not in chart.svg and "Feb" not in chart.svg
