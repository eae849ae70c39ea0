"""The `faultmaven` command."""
