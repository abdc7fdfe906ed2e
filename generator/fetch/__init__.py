"""`zoo fetch`: model files downloaded and verified."""
