"""Report charts on screen (QtCharts): the same Chart objects the PDF draws."""
from __future__ import annotations

import math

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QChart,
    QChartView,
    QLineSeries,
    QValueAxis,
)
from PySide6.QtCore import Qt
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import QWidget

from counter_app.services.report_views import Chart

from ..i18n import language


def count_axis(top: float) -> tuple[float, float]:
    """A count axis's top and tick step: whole steps of 1, 2 or 5 × 10ⁿ, at most six ticks, headroom above ``top``."""
    wanted = max(1.0, top * 1.15)
    step = 1.0
    while wanted / step > 6:
        for factor in (2, 2.5, 2):  # 1 → 2 → 5 → 10 → 20 …
            step *= factor
            if wanted / step <= 6:
                break
    return math.ceil(wanted / step) * step, step


def chart_view(chart: Chart, parent: QWidget | None = None) -> QChartView:
    lang = language()
    qchart = QChart()
    qchart.setTitle(chart.title(lang))
    qchart.legend().setVisible(len(chart.series) > 1)
    axis_x = QBarCategoryAxis()
    axis_x.append(list(chart.labels) or [""])
    axis_y = QValueAxis()
    scale = 100.0 if chart.percent else 1.0
    top = max((v * scale for s in chart.series for v in s.values if v is not None), default=0.0)
    upper, step = (100.0, 20.0) if chart.percent else count_axis(top)
    axis_y.setRange(0, upper)
    # Ticks on whole numbers only: "%d" on ticks at 0.29, 0.58 … printed "0" several times.
    axis_y.setTickType(QValueAxis.TickType.TicksDynamic)
    axis_y.setTickAnchor(0)
    axis_y.setTickInterval(step)
    axis_y.setLabelFormat("%d%%" if chart.percent else "%d")
    qchart.addAxis(axis_x, Qt.AlignmentFlag.AlignBottom)
    qchart.addAxis(axis_y, Qt.AlignmentFlag.AlignLeft)
    if chart.kind == "bar":
        series = QBarSeries()
        for s in chart.series:
            bar = QBarSet(s.name_en if lang == "en" else s.name_vi)
            bar.append([(v or 0.0) * scale for v in s.values])
            series.append(bar)
        qchart.addSeries(series)
        series.attachAxis(axis_x)
        series.attachAxis(axis_y)
    else:
        for s in chart.series:
            line = QLineSeries()
            line.setName(s.name_en if lang == "en" else s.name_vi)
            for i, v in enumerate(s.values):
                if v is not None:  # a month with nothing to judge is left out, not drawn at 0 %
                    line.append(i, v * scale)
            qchart.addSeries(line)
            line.attachAxis(axis_y)
            line.attachAxis(axis_x)
    view = QChartView(qchart, parent)
    view.setRenderHint(QPainter.RenderHint.Antialiasing)
    view.setMinimumHeight(160)
    return view

