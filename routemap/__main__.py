"""Run the routemap command line as ``python -m routemap``."""

from routemap.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
