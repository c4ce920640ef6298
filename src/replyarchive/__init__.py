"""replyarchive: turn Chinese government reply letters (答复的函) into a static archive."""

__version__ = "0.1.0"
