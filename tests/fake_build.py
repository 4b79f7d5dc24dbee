"""`python -m tests.fake_build ARTICLES INDEX`: one index update with the fake embedder, for crash tests.

Prints "ready" once imports are done (so a test can time its kill within the real work), then
"done SECONDS" when the update is complete.
"""

import sys
import time

from qa import build_index
from tests.conftest import FakeEmbedder

if __name__ == "__main__":
    print("ready", flush=True)
    started = time.perf_counter()
    report = build_index(sys.argv[1], sys.argv[2], model=FakeEmbedder(), log=lambda message: print(message, flush=True))
    print(report.summary(), flush=True)
    print(f"done {time.perf_counter() - started:.3f}", flush=True)
