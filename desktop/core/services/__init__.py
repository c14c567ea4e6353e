"""Services: each public method takes plain values, runs one transaction, returns dataclasses."""
