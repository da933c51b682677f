"""Stage 4 — render: the assembled site → page files (Markdown with front matter + HTML).

pages.py     Renderer (templates chosen, links computed) and the navigation
markup.py    editors' Markdown → sanitized HTML; text made inert for the theme
cache.py     text → text results kept between builds
templates/   site/ (one template per page kind) and common/ (macros shared by pages and print)
"""
