"""`python -m faultmaven`: the same as the `faultmaven` command."""

from faultmaven.cli.main import run

if __name__ == "__main__":  # worker processes (spawn) import this module without running it
    run()
