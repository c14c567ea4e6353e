"""Shebao Desk (社保经办桌面): offline desktop application for regional social insurance offices."""

__version__ = "0.3.0"
