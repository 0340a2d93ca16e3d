"""Registry extract import and the early-identification worklist."""
