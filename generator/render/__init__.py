"""Stage 4 — render: the assembled site → page files (Markdown with front matter + HTML).

pages.py     Renderer (templates chosen, links computed) and the navigation
markup.py    editors' Markdown → sanitized HTML; text made inert for the theme
cache.py     text → text results kept between builds
page_cache.py  rendered pages kept between builds, by what each page shows
parallel.py  a first build's pages (and search documents) made half in a forked child
templates/   site/ (one template per page kind) and common/ (macros shared by pages and print)
"""
