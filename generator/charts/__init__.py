"""Stage between assemble and print/render — charts: the assembled statistics drawn as files.

Charts are rendering, but both print (the PDF's SVG, the Word file's PNG) and the web pages show
them, so they are drawn once here, from assemble's plain data, before either.

files.py  the charts the site shows (ChartSet), their specs, cached by the hash of their data
draw.py   one spec → SVG or PNG with matplotlib (imported only when a chart must be drawn)
"""
from generator.charts.files import Chart, ChartSet, chart_files

__all__ = ["Chart", "ChartSet", "chart_files"]
