"""The count charts' y axis: whole-number ticks only (Home's 14-day chart printed "0" twice)."""
from __future__ import annotations

import pytest
from PySide6.QtCharts import QValueAxis
from PySide6.QtCore import Qt

from counter_app.services.report_views import Chart, Series
from counter_app.ui.reports.charts import chart_view, count_axis


@pytest.mark.parametrize("top", [0, 1, 2, 3, 5, 6, 7, 11, 37, 99, 180, 1234])
def test_count_axis_has_whole_ticks_above_the_top(top):
    upper, step = count_axis(top)
    assert step >= 1 and step == int(step)
    assert upper >= top and upper % step == 0
    assert upper / step <= 6


def _y_axis(view) -> QValueAxis:
    (axis,) = view.chart().axes(Qt.Orientation.Vertical)
    return axis


def test_small_counts_get_distinct_labels(qtbot):
    chart = Chart("received", "bar", "Hồ sơ", "Dossiers", ("01/12", "02/12", "03/12"),
                  (Series("Tiếp nhận", "Received", (0.0, 1.0, 0.0)),))
    view = chart_view(chart)
    qtbot.addWidget(view)
    axis = _y_axis(view)
    assert axis.tickType() == QValueAxis.TickType.TicksDynamic
    ticks = [axis.min() + i * axis.tickInterval()
             for i in range(int((axis.max() - axis.min()) / axis.tickInterval()) + 1)]
    labels = [str(int(t)) for t in ticks]
    assert ticks == [float(int(t)) for t in ticks]
    assert len(set(labels)) == len(labels) and axis.max() >= 1


def test_percent_charts_keep_their_0_to_100_scale(qtbot):
    chart = Chart("ontime", "line", "Đúng hạn", "On time", ("T1", "T2"),
                  (Series("Đúng hạn", "On time", (0.5, 0.9)),), percent=True)
    view = chart_view(chart)
    qtbot.addWidget(view)
    axis = _y_axis(view)
    assert (axis.min(), axis.max(), axis.tickInterval()) == (0, 100, 20)
