"""Run the routemap command line as ``python -m maps``."""

from maps.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
