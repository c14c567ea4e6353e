"""Offline sync between offices: change capture, sealed files, import and relay."""
