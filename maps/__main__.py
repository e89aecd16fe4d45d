"""Run the routemap command line as ``python -m maps``."""

from maps.cli import main

raise SystemExit(main())
