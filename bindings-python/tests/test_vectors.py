"""Every case of every shared vector file (tests/vectors/*.json), through the public
Python API of the installed package."""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

import pytest

import jiko_onboarding as jiko
from conftest import vector_bytes, vector_cases


def pairs(errors: list[Any]) -> Counter[tuple[str, str]]:
    """(path, code) pairs of FieldError objects or dicts, as a multiset."""
    out: Counter[tuple[str, str]] = Counter()
    for e in errors:
        if isinstance(e, dict):
            out[(e["path"], e["code"])] += 1
        else:
            out[(e.path, e.code)] += 1
    return out


def strings_in(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in strings_in(v)]
    if isinstance(value, list):
        return [s for v in value for s in strings_in(v)]
    return []


# --- signing.json ----------------------------------------------------------------


@pytest.mark.parametrize("case", vector_cases("signing.json"))
def test_signing(case: dict[str, Any]) -> None:
    signer = jiko.Signer(case["secret"])
    body = vector_bytes(case["body"])
    key, path = case["idempotency_key"], case["path"]
    assert signer.sign(key, path, body) == case["signature"]
    assert signer.verify(key, path, body, case["signature"])
    assert not signer.verify(key, path, body + b"x", case["signature"])


# --- validation.json -------------------------------------------------------------


@pytest.mark.parametrize("case", vector_cases("validation.json"))
def test_validation(case: dict[str, Any]) -> None:
    errors = jiko.validate_application(case["application"], today=case["today"])
    assert pairs(errors) == pairs(case["errors"])
    secrets = [s for s in strings_in(case["application"]) if len(s) > 3]
    for e in errors:
        assert isinstance(e, jiko.FieldError)
        assert e.message
        for s in secrets:
            assert s not in e.message, (e.path, e.code)
    # Through create_application: the same errors, raised at once as ValidationError.
    client = jiko.Client(base_url="http://127.0.0.1:8080", signing_secret="s")
    if case["errors"]:
        with pytest.raises(jiko.ValidationError) as info:
            client.create_application("token", case["application"], today=case["today"])
        assert pairs(info.value.errors()) == pairs(case["errors"])
        text = str(info.value) + repr(info.value)
        for s in secrets:
            assert s not in text
    else:
        prepared = client.create_application("token", case["application"], today=case["today"])
        assert prepared.method == "POST"


# --- onboarding.json -------------------------------------------------------------


@pytest.mark.parametrize("case", vector_cases("onboarding.json"))
def test_onboarding(case: dict[str, Any]) -> None:
    app = jiko.parse_application(200, json.dumps(case["application"]))
    required = jiko.required_documents(app)
    assert [r.to_dict() for r in required] == case["required_documents"]
    assert [{"flag": r.flag, "one_of": r.one_of} for r in required] == case["required_documents"]
    action = jiko.next_action(app)
    expected = case["next_action"]
    assert action.to_dict() == expected
    assert action.kind == expected["kind"]
    assert action.reason == expected.get("reason")
    assert action.customer_id == expected.get("customer_id")
    assert action.status == expected.get("status")
    assert [r.to_dict() for r in action.requirements] == expected.get("requirements", [])


# --- sandbox.json ----------------------------------------------------------------


@pytest.mark.parametrize("case", vector_cases("sandbox.json"))
def test_sandbox(case: dict[str, Any]) -> None:
    scenario = jiko.sandbox_scenario(case["ssn"])
    expected = case["scenario"]
    assert scenario.to_dict() == expected
    for field, value in expected.items():
        assert getattr(scenario, field) == value, field


# --- responses.json --------------------------------------------------------------

PARSERS = {
    "login": jiko.parse_login,
    "agreements": jiko.parse_agreements,
    "application": jiko.parse_application,
    "upload": jiko.parse_upload,
}


@pytest.mark.parametrize("case", vector_cases("responses.json"))
def test_responses(case: dict[str, Any]) -> None:
    parse = PARSERS[case["parser"]]
    body = vector_bytes(case["body"])
    expect = case["expect"]
    retry_after = case.get("retry_after")
    if "ok" in expect:
        model = parse(case["status"], body, retry_after)
        assert model.to_dict() == expect["ok"]
        # The same body as str parses to the same model.
        again = parse(case["status"], body.decode("utf-8"), retry_after)
        assert again.to_dict() == expect["ok"]
        return
    error = expect["error"]
    with pytest.raises(jiko.ApiError) as info:
        parse(case["status"], body, retry_after)
    e = info.value
    assert isinstance(e, jiko.JikoError)
    assert e.code == error["code"]
    assert e.kind == error["kind"]
    assert e.status == error["status"]
    assert [(f["path"], f["code"]) for f in e.errors()] == [
        (f["path"], f["code"]) for f in error["errors"]
    ]
    assert e.retry_after_seconds == error["retry_after_seconds"]
    text = str(e) + repr(e) + json.dumps(e.errors())
    body_text = body.decode("utf-8", "replace")
    if len(body_text) > 3:
        assert body_text not in text
    for secret in case.get("must_not_leak", []):
        assert secret not in text


# --- requests.json ---------------------------------------------------------------


def make_client(case: dict[str, Any]) -> jiko.Client:
    config = case["client"]
    if "base_url" in config:
        return jiko.Client(base_url=config["base_url"], signing_secret=case["secret"])
    return jiko.Client(
        environment=config["environment"], partner=config["partner"], signing_secret=case["secret"]
    )


def build(client: jiko.Client, case: dict[str, Any]) -> jiko.PreparedRequest:
    args, key, op = case["args"], case["idempotency_key"], case["operation"]
    if op == "login":
        return client.login(args["username"], args["password"])
    if op == "list_agreements":
        return client.list_agreements(args["token"], key)
    if op == "create_application":
        return client.create_application(args["token"], args["application"], case["today"], key)
    if op == "get_application":
        return client.get_application(args["token"], args["application_id"], key)
    if op == "apply":
        return client.apply(args["token"], args["application_id"], key)
    if op == "upload_document":
        return client.upload_document(
            args["token"],
            args["application_id"],
            args["document_type"],
            args["content_type"],
            vector_bytes(args["body"]),
            key,
        )
    raise AssertionError(f"unknown operation {op}")


@pytest.mark.parametrize("case", vector_cases("requests.json"))
def test_requests(case: dict[str, Any]) -> None:
    expect = case["expect"]
    if "error" in expect:
        error = expect["error"]
        with pytest.raises(jiko.JikoError) as info:
            build(make_client(case), case)  # "client" cases fail in make_client
        e = info.value
        assert e.code == error["code"]
        if error["code"] == "validation_failed":
            assert isinstance(e, jiko.ValidationError)
        elif error["code"] in ("empty", "too_large", "wrong_type"):
            assert isinstance(e, jiko.DocumentError)
        else:
            assert isinstance(e, jiko.InvalidArgumentError)
        if "errors" in error:
            assert isinstance(e, (jiko.ValidationError, jiko.ApiError))
            assert pairs(e.errors()) == pairs(error["errors"])
        # No secret, token, credential or applicant data in the message or repr.
        text = str(e) + repr(e)
        args = case["args"]
        private = [case["secret"], args.get("token", ""), args.get("password", "")]
        private += strings_in(args.get("application", {}))
        for s in private:
            if len(s) > 3:
                assert s not in text
        return
    assert case["operation"] != "client"
    prepared = build(make_client(case), case)
    assert prepared.method == expect["method"]
    assert prepared.url == expect["url"]
    assert prepared.path == expect["path"]
    assert [list(h) for h in prepared.headers] == expect["headers"]
    assert prepared.headers_dict == dict(map(tuple, expect["headers"]))
    assert prepared.body == vector_bytes(expect["body"])
    assert prepared.idempotency_key == expect["idempotency_key"]
    wire = prepared.to_dict()
    assert wire["headers"] == expect["headers"]
    assert wire["body"] == vector_bytes(expect["body"])
    # repr shows neither header values nor the body.
    shown = repr(prepared)
    for _, value in expect["headers"]:
        if value.startswith("Bearer "):
            assert value not in shown
    assert "signature" not in shown or "x-jiko-signature" in shown


# --- uploads.json ----------------------------------------------------------------


@pytest.mark.parametrize("case", vector_cases("uploads.json"))
def test_uploads(case: dict[str, Any]) -> None:
    data = vector_bytes(case["bytes"])
    client = jiko.Client(base_url="http://127.0.0.1:8080", signing_secret="s")
    app_id = "0b7b1c9e-3c1a-4f0e-9a57-2f4f1d6d2a10"
    if case["expect"] == "ok":
        assert jiko.check_upload(case["document_type"], case["content_type"], data) is None
        prepared = client.upload_document(
            "token", app_id, case["document_type"], case["content_type"], data
        )
        assert prepared.body == data
        assert prepared.header("content-length") == str(len(data))
        return
    with pytest.raises(jiko.DocumentError) as info:
        jiko.check_upload(case["document_type"], case["content_type"], data)
    assert info.value.code == case["expect"]
    with pytest.raises(jiko.DocumentError) as info:
        client.upload_document("token", app_id, case["document_type"], case["content_type"], data)
    assert info.value.code == case["expect"]
    assert isinstance(info.value, ValueError)
