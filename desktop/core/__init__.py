"""The headless core: domain rules, storage and services. Never imports Qt."""
