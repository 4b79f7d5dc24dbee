"""Merging a dense and a keyword ranking into one."""

from __future__ import annotations


def reciprocal_rank_fusion(rankings: list[list[int]], k: int = 60) -> dict[int, float]:
    """Sum of 1/(k + rank) over the rankings each id appears in."""
    fused: dict[int, float] = {}
    for ranking in rankings:
        for rank, chunk_id in enumerate(ranking, start=1):
            fused[chunk_id] = fused.get(chunk_id, 0.0) + 1.0 / (k + rank)
    return fused


def normalised(scores: dict[int, float]) -> dict[int, float]:
    """Min-max scaled to 0..1 (all 1.0 when every score is the same), whatever the scores' sign or scale."""
    if not scores:
        return {}
    low, high = min(scores.values()), max(scores.values())
    return {i: (s - low) / (high - low) if high > low else 1.0 for i, s in scores.items()}


def weighted_fusion(dense: dict[int, float], keyword: dict[int, float], dense_weight: float) -> dict[int, float]:
    """Convex mix of min-max normalised scores; an id missing from a ranking scores 0 there."""
    d, kw = normalised(dense), normalised(keyword)
    return {i: dense_weight * d.get(i, 0.0) + (1 - dense_weight) * kw.get(i, 0.0) for i in d.keys() | kw.keys()}
