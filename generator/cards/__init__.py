"""Cards: the card format, reading cards safely, the catalog and `zoo check`."""
