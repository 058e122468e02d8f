"""The version of skbgan."""

__version__ = "0.1.0"
