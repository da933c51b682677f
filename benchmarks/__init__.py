"""`make bench` and the helpers tests share with it (a copied project, a served site, Chromium).

Not part of the installed package: run from a checkout (`python -m benchmarks.run`).
"""
