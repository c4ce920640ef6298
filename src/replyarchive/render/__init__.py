"""Render the archive as a static site: pages, charts, feeds and open-data files."""
