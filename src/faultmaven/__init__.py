"""FaultMaven: ranked root-cause hypotheses backed by the exact evidence lines."""

__version__ = "0.1.0"
__all__ = ["__version__"]
