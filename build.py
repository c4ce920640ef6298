"""Build the site from seeds/ into site/: the same as ``replyarchive build``."""

import sys

from replyarchive.cli import main

if __name__ == "__main__":
    sys.exit(main(["build", *sys.argv[1:]]))
