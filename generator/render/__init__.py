"""Stage 4 — render: the assembled site → page files (Markdown with front matter + HTML).

pages.py     Renderer (templates chosen, links computed) and the navigation
markup.py    editors' Markdown → sanitized HTML; text made inert for the theme
cache.py     text → text results kept between builds
page_cache.py  rendered pages kept between builds, by what each page shows (a first build renders
               half of them in a forked child: generator/parallel.py)
templates/   site/ (one template per page kind) and common/ (macros shared by pages and print)
"""
