"""Shared fixtures and the case-count guards.

The suite runs against the installed wheel (the Makefile installs it into a fresh
virtual environment and runs pytest from this folder, where no source package is
importable). Every case of every shared vector file in tests/vectors/ is one test
marked `vector`, and every case of tests/vectors/hostile/index.json one test marked
`hostile`; the session fails unless exactly that many tests of each ran and passed.
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


HOSTILE = VECTORS / "hostile"


def hostile_cases() -> list[Any]:
    """The cases of hostile/index.json as pytest params, marked `hostile`."""
    cases = json.loads((HOSTILE / "index.json").read_text(encoding="utf-8"))["cases"]
    return [pytest.param(c, id=c["name"], marks=pytest.mark.hostile) for c in cases]


def hostile_total() -> int:
    return len(json.loads((HOSTILE / "index.json").read_text(encoding="utf-8"))["cases"])


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


# Per marker: how many tests were collected and how many passed.
_counts: dict[str, dict[str, int]] = {
    "vector": {"collected": 0, "passed": 0},
    "hostile": {"collected": 0, "passed": 0},
}


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "vector: one case of a shared vector file")
    config.addinivalue_line("markers", "hostile: one file of the hostile corpus")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for marker, counts in _counts.items():
        counts["collected"] = sum(1 for i in items if i.get_closest_marker(marker))


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if report.when == "call" and report.passed:
        for marker, counts in _counts.items():
            if marker in report.keywords:
                counts["passed"] += 1


def _totals() -> dict[str, int]:
    return {"vector": vector_total(), "hostile": hostile_total()}


def pytest_terminal_summary(terminalreporter: Any, exitstatus: int, config: pytest.Config) -> None:
    totals = _totals()
    v, h = _counts["vector"], _counts["hostile"]
    terminalreporter.write_line(
        f"shared vectors: {v['passed']} cases ran, {v['collected']} collected, "
        f"{totals['vector']} in tests/vectors"
    )
    terminalreporter.write_line(
        f"hostile corpus: {h['passed']} cases ran, {h['collected']} collected, "
        f"{totals['hostile']} in tests/vectors/hostile/index.json"
    )
    for line in _summary_lines:
        terminalreporter.write_line(line)


# Lines other test modules add to the summary (the differential signing seed).
_summary_lines: list[str] = []


def summary_line(text: str) -> None:
    """Prints `text` in pytest's terminal summary, whatever the capture mode."""
    if text not in _summary_lines:
        _summary_lines.append(text)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    if session.config.option.collectonly:
        return
    for marker, total in _totals().items():
        counts = _counts[marker]
        if counts["collected"] != total or counts["passed"] != total:
            sys.stderr.write(
                f"\nFAIL: {counts['collected']} {marker} cases collected and "
                f"{counts['passed']} passed, but the index holds {total}\n"
            )
            session.exitstatus = 1
