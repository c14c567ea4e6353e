"""Printable official forms: declarative form files in forms/, rendered to PDF with reportlab."""
