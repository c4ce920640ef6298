"""Ingest: find the input letters under the paths given and read each one as text."""
