"""Stage between assemble and print/render — charts: the assembled statistics drawn as files.

Charts are rendering, but both print (the PDF's SVG, the Word file's PNG) and the web pages show
them, so they are drawn once here, from assemble's plain data, before either.

files.py  the charts the site shows (ChartSet), their specs, cached by the hash of their data
draw.py   one spec → SVG or PNG with matplotlib (imported only when a chart must be drawn)
batch.py  the worker that draws many missing charts beside the generator (a first build: started
          before the content is loaded, see files.early_worker)

The names below come from files.py on first use, so `python -m generator.charts.batch` loads
matplotlib and draw.py only, not the pipeline.
"""
__all__ = ["Chart", "ChartSet", "chart_files", "early_worker"]

# A bar's label (a center's name) wraps after LABEL_CHARS characters (CJK: one character ≈ one
# em), on at most LABEL_LINES lines: the room draw.py gives it and files.py chooses names for.
LABEL_CHARS = 12
LABEL_LINES = 3


def __getattr__(name: str):
    if name in __all__:
        from generator.charts import files

        return getattr(files, name)
    raise AttributeError(name)
