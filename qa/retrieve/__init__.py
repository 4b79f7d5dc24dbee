"""Retrieve: ranked, cited excerpts for a question (dense, BM25 or both fused, optionally reranked)."""
