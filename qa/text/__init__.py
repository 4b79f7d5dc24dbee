"""Language helpers every stage shares: sentence boundaries, search terms, tiktoken tables."""
