"""A project folder: what ``replyarchive new`` makes (see scaffold.py)."""
