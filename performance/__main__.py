"""Command line: ``python -m performance COMMAND`` (see ``--help``)."""

from performance.cli import main

raise SystemExit(main())
