"""The site engine's side: the engine config written per build (engine.py), the editors' live
preview (preview.py), the theme override and the assets every page loads (theme/, assets/)."""
