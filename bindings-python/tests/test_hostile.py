"""The hostile corpus (tests/vectors/hostile/, issue 8 item 1) through the installed
package: every file goes to every parser as a 200 (ApiError kind "invalid_response")
and as a 422 (ApiError kind "validation"), and to validate_application and
Client.create_application as JSON bytes (field errors, ValidationError). Each call must
end in that typed error within a bounded time: never a pyo3 PanicException, never a
hang. Each case is marked `hostile`; the session fails unless every case of
hostile/index.json ran (see conftest.py).
"""

from __future__ import annotations

import faulthandler
import json
import sys
import time
from typing import Any, Callable

import pytest

import jiko_onboarding as jiko
from conftest import HOSTILE, hostile_cases

# A hang guard, not a benchmark: the largest file (4 MB) takes milliseconds. A call
# that runs past SOFT_LIMIT fails its test; one that never returns (even while holding
# the GIL) is stopped by faulthandler after HARD_LIMIT, which dumps every thread's
# stack and exits the run with an error.
SOFT_LIMIT_SECONDS = 30.0
HARD_LIMIT_SECONDS = 120.0
TODAY = "2026-11-27"

PARSERS: dict[str, Callable[..., Any]] = {
    "login": jiko.parse_login,
    "agreements": jiko.parse_agreements,
    "application": jiko.parse_application,
    "upload": jiko.parse_upload,
}


def bounded(what: str, call: Callable[[], Any]) -> tuple[Any, BaseException | None]:
    """Runs call() under the hang guard. Returns (result, None) or (None, exception);
    a PanicException (a BaseException, not an Exception) fails the test at once."""
    faulthandler.dump_traceback_later(HARD_LIMIT_SECONDS, exit=True)
    start = time.monotonic()
    try:
        return call(), None
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as e:  # noqa: B036 - a panic must be caught to be reported
        if type(e).__name__ == "PanicException":
            pytest.fail(f"{what}: the binding panicked (PanicException)")
        return None, e
    finally:
        faulthandler.cancel_dump_traceback_later()
        took = time.monotonic() - start
        assert took < SOFT_LIMIT_SECONDS, f"{what}: hang guard, still running after {took:.0f} s"


def test_the_index_lists_every_file() -> None:
    listed = {c["file"] for c in json.loads((HOSTILE / "index.json").read_text())["cases"]}
    present = {p.name for p in HOSTILE.iterdir() if p.name != "index.json"}
    assert listed == present


@pytest.mark.parametrize("case", hostile_cases())
def test_hostile_input(case: dict[str, Any]) -> None:
    data = (HOSTILE / case["file"]).read_bytes()
    assert len(data) == case["size"], "the file differs from index.json"
    bodies: list[bytes | str] = [data]
    try:
        bodies.append(data.decode("utf-8"))  # the same text as str, when it is UTF-8
    except UnicodeDecodeError:
        pass

    for body in bodies:
        form = type(body).__name__
        for name, parse in PARSERS.items():
            for status, kind in [(200, "invalid_response"), (422, "validation")]:
                what = f"parse_{name}({status}, {form})"
                result, error = bounded(what, lambda: parse(status, body))
                assert isinstance(error, jiko.ApiError), f"{what} gave {result!r} / {error!r}"
                assert (error.status, error.kind, error.code) == (status, kind, f"api_{kind}"), what
                assert error.retryable is False, what
                # No text of a hostile body in the error (it could be anything).
                text = str(error) + repr(error) + json.dumps(error.errors())
                assert len(text) < 10_000, what
                for field_error in error.errors():
                    assert set(field_error) == {"path", "code", "message"}, what

        # validate_application as JSON text: a list of field errors, never a raise.
        what = f"validate_application({form})"
        errors, error = bounded(what, lambda: jiko.validate_application(body, today=TODAY))
        assert error is None, f"{what} raised {error!r}"
        assert isinstance(errors, list) and errors, f"{what} found nothing wrong"
        assert all(isinstance(e, jiko.FieldError) and e.code and e.message for e in errors)

        # create_application: the same errors, raised at once; nothing is built.
        client = jiko.Client(base_url="http://127.0.0.1:8080", signing_secret="s")
        what = f"create_application({form})"
        result, error = bounded(what, lambda: client.create_application("tok", body, TODAY))
        assert isinstance(error, jiko.ValidationError), f"{what} gave {result!r} / {error!r}"
        assert [(e["path"], e["code"]) for e in error.errors()] == [
            (e.path, e.code) for e in errors
        ], what


def test_deeply_nested_python_values_are_refused_not_recursed() -> None:
    """The dict path has its own depth limit: a Python value nested deeper than any
    request body ends in ValueError, and a self-referencing one does not recurse."""
    deep: Any = "x"
    for _ in range(sys.getrecursionlimit() * 2):
        deep = {"name": deep}
    for value in [deep, [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]:
        for call in [
            lambda: jiko.validate_application(value, today=TODAY),
            lambda: jiko.Application.from_dict(value),
        ]:
            _, error = bounded("deep value", call)
            assert isinstance(error, ValueError) and "nested" in str(error)


def test_a_dict_changed_while_it_is_converted_is_not_a_panic() -> None:
    """User code runs during the conversion (a date subclass's isoformat); if it changes
    the dict being read, the conversion still ends normally, never in a panic."""
    import datetime

    application: dict[str, Any] = {"email": "a@example.com"}

    class Sneaky(datetime.date):
        def isoformat(self) -> str:
            application.clear()
            application.update({f"k{i}": i for i in range(50)})
            return "1970-01-01"

    application["date_of_birth"] = Sneaky(1970, 1, 1)
    application["phone_number"] = "+15551234567"
    errors, error = bounded("mutating dict", lambda: jiko.validate_application(application, TODAY))
    assert error is None
    assert any(e.code == "required" for e in errors)
