"""`python -m faultmaven`: the same as the `faultmaven` command."""

from faultmaven.cli.main import run

run()
