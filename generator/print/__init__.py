"""Print: one PDF per bulletin issue and per notice (pdf.py, templates/), offered as downloads."""
