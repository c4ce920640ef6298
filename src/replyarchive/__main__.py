import sys

from replyarchive.cli import main

sys.exit(main())
