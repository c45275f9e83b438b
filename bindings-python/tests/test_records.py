"""The records against their stubs. A record's attributes come from the core model's
own serde form (no field is listed in the package), so this checks that the typed
surface (_models.pyi) says exactly what the core sends: every field of every record
reached from the shared vectors and the samples below is declared, with its type and
its optionality, and every declared field is there."""

from __future__ import annotations

import ast
import json
import pathlib
from typing import Any, Iterator

import jiko_onboarding as jiko
from conftest import VECTORS, vector_bytes

STUB = pathlib.Path(jiko.__file__).parent / "_models.pyi"

SUBSCRIPTION = {
    "id": "5f0c6e2a-8a8e-4a4e-9a57-0d0f6c3f1b11", "url": "https://partner.example/hooks",
    "events": ["application.approved", "something.new"], "description": "",
    "status": "enabled", "time_created": "2026-12-01T10:00:00+00:00",
}
EVENTS = {
    "items": [{
        "event": {"event_id": "e1", "timestamp": "2026-12-01T10:00:00+00:00",
                  "event_type": "application.approved",
                  "payload": {"application_id": "3f2504e0-4f89-41d3-9a0c-0305e82c3301"}},
        "delivery_attempts": [{"delivery_attempt_id": "d1", "subscription_id": "s1",
                               "success": False, "response_code": 0,
                               "called_at": "2026-12-01T10:00:01+00:00"}],
    }],
    "next_page": "cD0y", "object_type": "CursorList",
}


def declared() -> dict[str, dict[str, str]]:
    """Each record class of the stub: field name -> annotation text."""
    out: dict[str, dict[str, str]] = {}
    for node in ast.parse(STUB.read_text()).body:
        if isinstance(node, ast.ClassDef) and node.name != "Record":
            fields = out.setdefault(node.name, {})
            for item in node.body:
                if isinstance(item, ast.AnnAssign) and isinstance(item.target, ast.Name):
                    fields[item.target.id] = ast.unparse(item.annotation)
                elif isinstance(item, ast.FunctionDef):
                    fields[item.name] = "property " + ast.unparse(item.returns or ast.Constant(None))
    return out


def records() -> Iterator[jiko.Record]:
    """Records the core makes, from the shared vectors and samples of every kind."""
    parsers = {"application": jiko.parse_application, "agreements": jiko.parse_agreements,
               "upload": jiko.parse_upload}
    for case in json.loads((VECTORS / "responses.json").read_text())["cases"]:
        if "ok" in case["expect"] and case["parser"] in parsers:
            yield parsers[case["parser"]](case["status"], vector_bytes(case["body"]))
    for case in json.loads((VECTORS / "onboarding.json").read_text())["cases"]:
        app = jiko.parse_application(200, json.dumps(case["application"]))
        yield app
        yield jiko.next_action(app)
        yield from jiko.required_documents(app)
    by_operation = {"get_customer": jiko.parse_customer, "list_customer_accounts": jiko.parse_accounts,
                    "list_portals": jiko.parse_portals, "get_application": jiko.parse_application}
    for case in json.loads((VECTORS / "flows.json").read_text())["cases"]:
        for entry in case["script"]:
            send, then = entry.get("expect", {}).get("send"), entry.get("then") or {}
            if send and send["operation"] in by_operation and 200 <= then.get("status", 0) < 300:
                try:
                    yield by_operation[send["operation"]](then["status"], vector_bytes(then["body"]))
                except jiko.ApiError:
                    pass  # a transcript's unreadable answer
            done = entry.get("expect", {}).get("done", {})
            if done.get("customer"):
                yield jiko.ApprovedCustomer.from_dict(done["customer"])
    yield jiko.sandbox_scenario("231234567")
    yield jiko.sandbox_scenario("412345678")
    yield from jiko.validate_application({"email": 5})
    yield jiko.parse_subscription(201, json.dumps(SUBSCRIPTION))
    yield jiko.parse_events(200, json.dumps(EVENTS))
    yield jiko.FlowConfig.from_dict({"seed": 3})
    yield jiko.FlowConfig.from_dict({})


def walk(value: Any) -> Iterator[jiko.Record]:
    if isinstance(value, jiko.Record):
        yield value
        for field in value._fields.values():  # type: ignore[attr-defined]
            yield from walk(field)
    elif isinstance(value, list):
        for item in value:
            yield from walk(item)


def matches(value: Any, annotation: str, classes: dict[str, type]) -> bool:
    if annotation.startswith("Optional["):
        return value is None or matches(value, annotation[len("Optional["):-1], classes)
    if annotation.startswith("list["):
        inner = annotation[len("list["):-1]
        return isinstance(value, list) and all(matches(v, inner, classes) for v in value)
    if annotation in classes:
        return type(value) is classes[annotation]
    if annotation == "int":
        return isinstance(value, int) and not isinstance(value, bool)
    if annotation == "bool":
        return isinstance(value, bool)
    return isinstance(value, str)  # str and the wire values' Literal aliases


def test_every_record_field_is_typed_by_the_stubs() -> None:
    stub = declared()
    classes = {name: getattr(jiko, name) for name in stub}
    seen: set[str] = set()
    for top in records():
        for record in walk(top):
            name = type(record).__name__
            seen.add(name)
            fields = {k: v for k, v in stub[name].items() if not v.startswith("property ")}
            data: dict[str, Any] = record._fields  # type: ignore[attr-defined]
            absent: tuple[str, ...] = record._absent  # type: ignore[attr-defined]
            if name == "NextAction":  # a tagged union: the variant's fields are properties
                assert set(data) - {"kind"} <= set(stub[name]), data
                continue
            assert set(data) == set(fields), (name, set(data) ^ set(fields))
            for field, value in data.items():
                annotation = fields[field].removeprefix("Final[")[:-1]
                if field in absent or value is None:
                    assert annotation.startswith("Optional["), (name, field)
                assert matches(value, annotation, classes), (name, field, value, annotation)
    # Every record class was reached, so none of the checks above is vacuous.
    assert seen == set(stub), sorted(set(stub) - seen)


def test_absent_fields_read_as_none_and_stay_out_of_the_wire_form() -> None:
    app = jiko.parse_application(200, b'{"id": "a", "status": "CREATED"}')
    assert app.customer_id is None and app.name is None and app.documents == []
    assert app.to_dict() == {
        "id": "a", "status": "CREATED", "documents": [], "exception_reasons": [],
        "id_verification_documents_needed": False,
        "identification_number_verification_document_needed": False,
        "address_verification_document_needed": False,
    }
    try:
        app.no_such_field  # type: ignore[attr-defined]
    except AttributeError as e:
        assert "no_such_field" in str(e)
    else:
        raise AssertionError("no AttributeError")
    # A list attribute is a copy: the record does not change.
    app.documents.append(None)  # type: ignore[arg-type]
    assert app.documents == []
