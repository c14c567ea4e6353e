"""Where the office's private keys are kept."""
