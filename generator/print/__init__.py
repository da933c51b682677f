"""Print: one PDF (pdf.py, templates/) and one Word file (word.py) per bulletin issue and per notice, offered as downloads."""
