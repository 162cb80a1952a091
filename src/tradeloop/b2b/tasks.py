"""b2b's background jobs and timed rules (thin wrappers over services)."""
