"""Rebuilding only what changed: the parse cache, each file's key, what the previous build
left, the output folder and its atomic swap, and the worker processes."""
