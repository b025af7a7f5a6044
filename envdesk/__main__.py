"""`python -m envdesk` runs the `envdesk` command."""

import sys

from envdesk.cli import main

sys.exit(main())
