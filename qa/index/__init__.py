"""Chunk, embed and build: cleaned articles in, an up-to-date index in a store out."""
