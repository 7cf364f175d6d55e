"""Report charts as reportlab drawings (vector, embedded in the PDF)."""
from __future__ import annotations

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.charts.linecharts import HorizontalLineChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors

from counter_app.services.report_views import Chart

from .fonts import FontSet

PALETTE = (colors.HexColor("#1f5fa8"), colors.HexColor("#e07b24"), colors.HexColor("#3a9b46"))
MAX_LABELS = 16  # beyond that every n-th label only, so they stay legible


def chart_drawing(chart: Chart, fonts: FontSet, width: float, height: float = 150) -> Drawing:
    d = Drawing(width, height)
    d.add(String(0, height - 11, chart.title_vi, fontName=fonts.bold, fontSize=9))
    plot = VerticalBarChart() if chart.kind == "bar" else HorizontalLineChart()
    plot.x, plot.y = 36, 28
    # The stubs type PlotArea's sizes as int; reportlab takes any number (its isNumber validator).
    plot.width, plot.height = width - 46, height - 50  # type: ignore[assignment]
    # A missing value (None) is a gap in the line, never a point at 0 % (a month with nothing to judge).
    data = [tuple(None if v is None else v * 100 if chart.percent else v for v in s.values) for s in chart.series]
    data = data or [(0,)]
    plot.data = data
    step = max(1, -(-len(chart.labels) // MAX_LABELS))
    plot.categoryAxis.categoryNames = [lab if i % step == 0 else "" for i, lab in enumerate(chart.labels)] or [""]
    plot.categoryAxis.labels.fontName = fonts.regular
    plot.categoryAxis.labels.fontSize = 6.5
    plot.categoryAxis.labels.angle = 30 if len(chart.labels) > 8 else 0
    plot.categoryAxis.labels.boxAnchor = "ne" if len(chart.labels) > 8 else "n"
    plot.valueAxis.labels.fontName = fonts.regular
    plot.valueAxis.labels.fontSize = 7
    top = max((v for s in data for v in s if v is not None), default=0)
    plot.valueAxis.valueMin = 0
    plot.valueAxis.valueMax = 100 if chart.percent else max(1, top * 1.15)
    if chart.percent:
        plot.valueAxis.labelTextFormat = "%d%%"
    for i in range(len(data)):
        color = PALETTE[i % len(PALETTE)]
        if isinstance(plot, VerticalBarChart):  # chart.kind == "bar"
            plot.bars[i].fillColor = color
            plot.bars[i].strokeColor = None
        else:
            plot.lines[i].strokeColor = color
            plot.lines[i].strokeWidth = 1.5
    d.add(plot)
    return d
