"""Exports of the archive beyond the site's pages: the SQLite database and its metadata."""
