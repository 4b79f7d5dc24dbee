"""Peak memory of the running chat app: `python app.py`, three questions through Gradio's API.

    .venv/bin/python benchmarks/app_memory.py

Starts the app as a separate process (default answer model, index of seeds/), asks three
questions with gradio_client, and prints the process's peak resident memory (VmHWM).
"""

from __future__ import annotations

import re
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
QUESTIONS = ["Which German chancellor visited Beijing before Blinken?",
             "How long did Blinken's meeting with Wang Yi last?",
             "Who did Blinken meet in Shanghai?"]


def status_mb(pid: int, field: str) -> float:
    text = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(rf"^{field}:\s+(\d+) kB", text, re.MULTILINE).group(1)) / 1024


def main() -> None:
    from gradio_client import Client

    app = subprocess.Popen([sys.executable, "app.py"], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           text=True)
    try:
        url = None
        for line in app.stdout:
            match = re.search(r"(http://127\.0\.0\.1:\d+)", line)
            if match:
                url = match.group(1)
                break
        time.sleep(1)
        print(f"after start-up (index checked, models warm): {status_mb(app.pid, 'VmRSS'):.0f} MB resident")
        client = Client(url, verbose=False)
        for question in QUESTIONS:
            started = time.perf_counter()
            client.predict(question, [], "", "", [], api_name="/respond")  # question, history, date from/to, outlets
            print(f"{time.perf_counter() - started:5.1f}s  {question}")
        print(f"peak resident memory of the app: {status_mb(app.pid, 'VmHWM'):.0f} MB "
              f"(now {status_mb(app.pid, 'VmRSS'):.0f} MB)")
    finally:
        app.terminate()
        app.wait(timeout=30)


if __name__ == "__main__":
    main()
