"""质控简报 publisher: content → validated models → issues/notices → pages → site and PDFs.

Pipeline stages, one module each, data flowing forward only:
load → validate → assemble → render → publish.
"""
