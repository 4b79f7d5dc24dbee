"""Answer: pick passages, draft with a reader (a chat model or extractive), check every claim in code."""
