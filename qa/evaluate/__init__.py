"""Evaluate: retrieval metrics on labelled questions, and the answer benchmark."""
