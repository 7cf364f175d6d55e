"""counter_app: desktop application for the one-stop counters."""
__version__ = "0.1.0"
