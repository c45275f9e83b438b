"""Differential signing (issue 8 item 5): the SDK's Signer against Python's own hmac +
hashlib + base64 on random cases (random secrets, idempotency keys, paths and bodies,
including non-ASCII text and binary bodies, and bodies on both sides of the size from
which the GIL is released), from one thread and from many at once.

The cases come from a fixed seed, printed in pytest's summary and in every failure
message. Replay a failure with the same seed:

    JIKO_SIGNING_SEED=<seed> pytest tests/test_differential.py
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import random
from concurrent.futures import ThreadPoolExecutor
from typing import Union

import jiko_onboarding as jiko
from conftest import summary_line

SEED = int(os.environ.get("JIKO_SIGNING_SEED", "20261127"))
CASES = int(os.environ.get("JIKO_SIGNING_CASES", "1500"))

Text = Union[str, bytes]


def reference(secret: Text, key: str, path: str, body: Text) -> str:
    """x-jiko-signature by the standard library: base64(HMAC-SHA256(secret, key + path
    + body)), text as UTF-8."""
    as_bytes = lambda t: t.encode("utf-8") if isinstance(t, str) else t  # noqa: E731
    message = key.encode("utf-8") + path.encode("utf-8") + as_bytes(body)
    return base64.b64encode(hmac.new(as_bytes(secret), message, hashlib.sha256).digest()).decode()


# Characters for text fields: ASCII, Latin-1, other BMP scripts, astral emoji, and
# controls; no lone surrogates (they cannot be encoded as UTF-8 on either side).
ALPHABETS = [
    "abcdefghijklmnopqrstuvwxyz0123456789-_/.~%?=&",
    "éüßøÆçñ¿¡",
    "日本語中文한국어עבריתالعربيةΕλληνικάРусский",
    "😀🚀🧾👩🏽‍💻",
    "\x00\x01\t\n\r\x7f ",
]


def random_text(rng: random.Random, low: int, high: int) -> str:
    alphabet = "".join(rng.sample(ALPHABETS, rng.randint(1, len(ALPHABETS))))
    return "".join(rng.choice(alphabet) for _ in range(rng.randint(low, high)))


def random_case(rng: random.Random) -> tuple[Text, str, str, Text]:
    # Secrets: text or bytes, from 1 byte to past the 64-byte block (hashed keys).
    if rng.random() < 0.5:
        secret: Text = rng.randbytes(rng.choice([1, 2, 16, 32, 63, 64, 65, 100, 200]))
    else:
        secret = random_text(rng, 1, 120)
    # Keys: UUIDs as the SDK makes them, upper-case ones, and any text at all (the
    # signer signs whatever key it is given; the request builders check the format).
    key = "%08x-%04x-4%03x-%04x-%012x" % (
        rng.getrandbits(32), rng.getrandbits(16), rng.getrandbits(12),
        0x8000 | rng.getrandbits(14), rng.getrandbits(48),
    )
    roll = rng.random()
    if roll < 0.1:
        key = key.upper()
    elif roll < 0.3:
        key = random_text(rng, 0, 50)
    path = rng.choice([
        "/api/v1/applications/",
        "/api/v1/agreements/",
        f"/api/v1/applications/{key}/apply/",
        "/" + random_text(rng, 0, 80),
        "",
    ])
    size = rng.choice([0, 1, 55, 56, 63, 64, 65, 1000, 1024, 4096, 16383, 16384, 16385, 70_000])
    kind = rng.random()
    if kind < 0.5:
        body: Text = rng.randbytes(size)  # binary, such as an upload
    elif kind < 0.8:
        body = random_text(rng, 0, max(1, size // 3))  # text, sent as UTF-8
    else:
        body = random_text(rng, 0, max(1, size // 3)).encode("utf-8")
    return secret, key, path, body


def check(case_id: str, secret: Text, key: str, path: str, body: Text) -> None:
    replay = f"case {case_id}, replay with JIKO_SIGNING_SEED={SEED}"
    signer = jiko.Signer(secret)
    expected = reference(secret, key, path, body)
    got = signer.sign(key, path, body)
    assert got == expected, replay
    assert signer.verify(key, path, body, expected), replay
    # One changed bit anywhere is refused.
    raw = bytearray(base64.b64decode(expected))
    raw[len(raw) // 2] ^= 0x01
    assert not signer.verify(key, path, body, base64.b64encode(bytes(raw)).decode()), replay
    tampered = (body + b"x") if isinstance(body, bytes) else (body + "x")
    assert not signer.verify(key, path, tampered, expected), replay
    assert not signer.verify(key + "0", path, body, expected), replay


def test_signatures_agree_with_hmac_and_base64() -> None:
    summary_line(
        f"differential signing: {CASES} random cases from seed {SEED} against hmac+base64 "
        f"(replay: JIKO_SIGNING_SEED={SEED})"
    )
    rng = random.Random(SEED)
    for i in range(CASES):
        check(str(i), *random_case(rng))


def test_signatures_agree_when_signed_from_many_threads_at_once() -> None:
    """Eight threads share one Signer and one Client and sign at once, with bodies on
    both sides of the GIL-release size; every signature matches the reference."""
    rng = random.Random(SEED + 1)
    cases = [random_case(rng) for _ in range(400)]
    secret = b"shared-by-every-thread"
    signer = jiko.Signer(secret)
    client = jiko.Client(base_url="http://127.0.0.1:8080", signing_secret=secret)

    def work(worker: int) -> int:
        done = 0
        for j, (_, key, path, body) in enumerate(cases[worker::8]):
            replay = f"thread {worker} case {j}, replay with JIKO_SIGNING_SEED={SEED}"
            assert signer.sign(key, path, body) == reference(secret, key, path, body), replay
            prepared = client.get_application("token", "0b7b1c9e-3c1a-4f0e-9a57-2f4f1d6d2a10")
            assert prepared.header("x-jiko-signature") == reference(
                secret, prepared.idempotency_key or "", prepared.path, b""
            ), replay
            done += 1
        return done

    with ThreadPoolExecutor(max_workers=8) as pool:
        assert sum(pool.map(work, range(8))) == len(cases)
    summary_line(f"threaded signing: {len(cases)} cases over 8 threads from seed {SEED + 1}")
