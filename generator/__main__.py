"""`python -m generator` runs the `invitegen` command line."""

from generator.cli import main

raise SystemExit(main())
