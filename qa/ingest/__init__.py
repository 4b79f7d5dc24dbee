"""Load and clean: article files in, cleaned Article records out."""
