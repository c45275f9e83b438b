"""Shared fixtures and the vector-count guard.

The suite runs against the installed wheel (the Makefile installs it into a fresh
virtual environment and runs pytest from this folder, where no source package is
importable). Every case of every shared vector file in tests/vectors/ is one test
marked `vector`; the session fails unless exactly that many vector tests ran.
"""

from __future__ import annotations

import base64
import json
import os
import pathlib
import subprocess
import sys
from typing import Any

import pytest

VECTORS = pathlib.Path(
    os.environ.get("JIKO_VECTORS_DIR")
    or pathlib.Path(__file__).resolve().parents[2] / "tests" / "vectors"
)


def vector_cases(file_name: str) -> list[Any]:
    """The cases of one vector file as pytest params, each with its name as the id."""
    cases = json.loads((VECTORS / file_name).read_text(encoding="utf-8"))["cases"]
    return [pytest.param(c, id=c["name"], marks=pytest.mark.vector) for c in cases]


def vector_bytes(spec: dict[str, Any]) -> bytes:
    """`{"utf8": ...}`, `{"base64": ...}` or `{"prefix_base64": ..., "size": N}`."""
    if "utf8" in spec:
        return str(spec["utf8"]).encode("utf-8")
    if "base64" in spec:
        return base64.b64decode(spec["base64"])
    prefix = base64.b64decode(spec["prefix_base64"])
    size = int(spec["size"])
    return prefix[:size] + bytes(max(0, size - len(prefix)))


def vector_total() -> int:
    """What tests/vectors/count.py prints (or JIKO_VECTOR_TOTAL when the Makefile set it)."""
    if os.environ.get("JIKO_VECTOR_TOTAL"):
        return int(os.environ["JIKO_VECTOR_TOTAL"])
    out = subprocess.run(
        [sys.executable, str(VECTORS / "count.py")], check=True, capture_output=True, text=True
    ).stdout
    return int(out.strip().splitlines()[-1])


_ran: dict[str, int] = {"collected": 0, "ran": 0}


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "vector: one case of a shared vector file")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    _ran["collected"] = sum(1 for i in items if i.get_closest_marker("vector"))


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if report.when == "call" and "vector" in report.keywords:
        _ran["ran"] += 1


def pytest_terminal_summary(terminalreporter: Any, exitstatus: int, config: pytest.Config) -> None:
    total = vector_total()
    terminalreporter.write_line(
        f"shared vectors: {_ran['ran']} cases ran, {_ran['collected']} collected, "
        f"{total} in tests/vectors"
    )


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    total = vector_total()
    ran_ok = session.config.option.collectonly or _ran["ran"] == total
    if _ran["collected"] != total or not ran_ok:
        sys.stderr.write(
            f"\nFAIL: {_ran['collected']} vector cases collected and {_ran['ran']} ran, "
            f"but tests/vectors holds {total}\n"
        )
        session.exitstatus = 1
