"""Markers for the store tests (registered here, so pyproject.toml need not know them)."""


def pytest_configure(config):
    config.addinivalue_line(
        "markers",
        "milvus_server: starts a real standalone Milvus 2.3.5 (needs QA_MILVUS235_PYTHON, see test_milvus_server.py)",
    )
