"""``python -m govreport``: the command line (see :mod:`govreport.cli`)."""

import sys

from govreport.cli import main

if __name__ == "__main__":
    sys.exit(main())
