"""`python -m generator` runs the `invitegen` command line.

May import: `generator.cli`.
"""

from generator.cli import main

raise SystemExit(main())
