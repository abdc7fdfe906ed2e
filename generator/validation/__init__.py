"""Validation: each card's IR read, counted and run with OpenVINO, results and reports."""
