"""The local Jiko sandbox simulator (tests/sandbox, binary `jiko-sandbox`) as a child
process on a free port, for the end-to-end tests. The binary is $JIKO_SANDBOX_BIN, or
<build dir>/debug/jiko-sandbox; a test fails, never skips, when it is missing."""

from __future__ import annotations

import json
import os
import pathlib
import subprocess
import tempfile
import threading
import urllib.request
from typing import Any

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[3]
SANDBOX_BIN = pathlib.Path(
    os.environ.get("JIKO_SANDBOX_BIN") or ROOT / "target" / "debug" / "jiko-sandbox"
)
USERNAME, PASSWORD, SECRET = "e2e-python-user", "e2e-python-password", "e2e-python-secret"
START_TIMEOUT_SECONDS = 30


class Simulator:
    """`jiko-sandbox` as a child process on a free port."""

    def __init__(self, *args: str) -> None:
        if not SANDBOX_BIN.is_file():
            pytest.fail(
                f"the simulator binary {SANDBOX_BIN} is missing: run `cargo build -p "
                "jiko-sandbox` (make -C bindings-python e2e does)"
            )
        self.log = tempfile.TemporaryFile()
        self.process = subprocess.Popen(
            [str(SANDBOX_BIN), "--port", "0", "--username", USERNAME, "--password", PASSWORD,
             "--signing-secret", SECRET, *args],
            stdout=subprocess.PIPE, stderr=self.log, text=True,
        )
        first: list[str] = []
        reader = threading.Thread(
            target=lambda: first.append(self.process.stdout.readline() if self.process.stdout else ""),
            daemon=True,
        )
        reader.start()
        reader.join(START_TIMEOUT_SECONDS)
        line = first[0].strip() if first else ""
        if not line.startswith("listening on http://127.0.0.1:"):
            self.stop()
            pytest.fail(f"the simulator did not start: first line {line!r}; stderr: {self.stderr()}")
        self.base_url = line[len("listening on "):]

    def stderr(self) -> str:
        self.log.seek(0)
        return self.log.read().decode("utf-8", "replace")[-2000:]

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        if self.process.stdout:
            self.process.stdout.close()
        self.log.close()

    def stats(self) -> Any:
        """GET /_simulator/stats: what the simulator did, counted."""
        with urllib.request.urlopen(self.base_url + "/_simulator/stats", timeout=30) as r:
            return json.loads(r.read())
