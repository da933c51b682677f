"""Stage 1 — load: editors' files → typed models, every problem found with its file and line.

yaml_source.py  files → text and YAML that remembers lines (encoding, front matter, size limits)
fields.py       YAML → pydantic models, errors translated into Chinese problems with examples
models.py       what editors write: site, series, centers, stories, 点评, issues, notices
evaluations.py  evaluation rounds and open-year facts → the grading engine's classes
images.py       images a Markdown body refers to
content.py      the whole project read at once (Content)
listing.py      the editors' folders walked once per run, each file with its stat
cache.py        loaded files kept between runs by their stat
"""
from generator.load.content import Content, load_content

__all__ = ["Content", "load_content"]
