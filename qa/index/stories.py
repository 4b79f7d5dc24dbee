"""Syndicated copies: articles that are the same story (a wire report with other headers, footers or
small edits) are grouped under one story id, found with MinHash LSH (datasketch) over word 5-grams.

Each article keeps its signature (64 permutations, base64) so a later update compares new articles
with the indexed ones without reading their text again. The story id is the doc_id of the story's
first indexed article.
"""

from __future__ import annotations

import base64
import re

import numpy as np

NUM_PERM = 64
SHINGLE_WORDS = 5
THRESHOLD = 0.7  # estimated Jaccard similarity of the shingle sets above which two articles are one story
SEED = 1
SCHEME = "affine32"  # datasketch's hashing scheme, named so stored signatures are read back the same way
WORD_RE = re.compile(r"\w+")


def signature(text: str) -> str:
    """The MinHash signature of the text's word 5-grams, as base64."""
    from datasketch import MinHash

    words = WORD_RE.findall(text.lower())
    shingles = [" ".join(words[i:i + SHINGLE_WORDS]).encode() for i in range(max(1, len(words) - SHINGLE_WORDS + 1))]
    minhash = MinHash(num_perm=NUM_PERM, seed=SEED, scheme=SCHEME)
    minhash.update_batch(shingles)
    return base64.b64encode(minhash.hashvalues.astype(np.uint32).tobytes()).decode()


def lean(encoded: str):
    from datasketch import LeanMinHash

    values = np.frombuffer(base64.b64decode(encoded), dtype=np.uint32).astype(np.uint64)
    return LeanMinHash(seed=SEED, hashvalues=values, scheme=SCHEME)


class StoryIndex:
    """The indexed articles' signatures in an LSH index: which story is a new article a copy of?"""

    def __init__(self):
        from datasketch import MinHashLSH

        self.lsh = MinHashLSH(threshold=THRESHOLD, num_perm=NUM_PERM)
        self.signatures: dict[str, object] = {}
        self.story_of: dict[str, str] = {}

    def add(self, doc_id: str, encoded: str, story: str) -> None:
        if doc_id in self.signatures:
            self.remove(doc_id)
        minhash = lean(encoded)
        self.lsh.insert(doc_id, minhash)
        self.signatures[doc_id] = minhash
        self.story_of[doc_id] = story

    def remove(self, doc_id: str) -> None:
        if doc_id in self.signatures:
            self.lsh.remove(doc_id)
            del self.signatures[doc_id]
            del self.story_of[doc_id]

    def story_for(self, doc_id: str, encoded: str) -> str:
        """The story of the most similar indexed article above the threshold, else a new one (doc_id)."""
        minhash = lean(encoded)
        candidates = [d for d in self.lsh.query(minhash) if d != doc_id]
        if not candidates:
            return doc_id
        best = max(candidates, key=lambda d: minhash.jaccard(self.signatures[d]))
        return self.story_of[best] if minhash.jaccard(self.signatures[best]) >= THRESHOLD else doc_id
