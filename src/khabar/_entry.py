"""The `khabar` command's entry point: imports the CLI itself, so that a Ctrl-C while Python
is still loading khabar ends in one line, as it does later, not in a traceback."""

from __future__ import annotations

import sys


def main() -> None:
    try:
        from khabar.cli import main as run
    except KeyboardInterrupt:
        sys.stderr.write("khabar: interrupted\n")
        sys.exit(130)
    run()
