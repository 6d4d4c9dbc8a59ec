"""``python -m geoconflict.cli``: the ``geoconflict`` command line."""

import sys

from geoconflict.cli.main import main

sys.exit(main())
