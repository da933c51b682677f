"""质控简报 publisher: editors' files → a public site, PDFs and search, in one direction.

The map, in pipeline order (each stage imports only from those above it, plus problems and
evaluation):

    problems.py   Problem, ContentError, exit codes: how every stage reports to editors
    tied.py       helper processes (Pagefind, Zensical, decap-server) that die with the command,
                  SIGKILL included (tied_keeper.py watches over each)
    parallel.py   a first build's CPU-bound steps (reading files, rendering pages, search documents)
                  split with a forked child on two cores
    load/         files → typed models (YAML with lines, Chinese messages)
    validate/     rules that span files
    evaluation/   the pure grading engine: scores, tiers, checks, history, notice text
    assemble/     issues, notices, centers, archive, statistics: pure data, unpublished content dropped
    charts/       statistics drawn as SVG/PNG files (matplotlib), cached by their data; for print and render
    print/        PDFs of issues and notices, offered as downloads
    render/       web pages from templates; Markdown → safe HTML
    search/       Chinese terms, the Pagefind index and its stabiliser
    publish.py    pages written incrementally, the site engine run, the atomic swap of site/
    site/         the engine seam (config per build, MkDocs or Zensical), preview, theme
    pipeline.py   the stages wired together
    cli/          the `bulletin` commands
    system/       around the pipeline: Debian packages and print fonts a machine needs, deploy over SSH
"""
