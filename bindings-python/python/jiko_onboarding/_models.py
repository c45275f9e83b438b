"""The records: the core's models as read-only Python objects.

A record is made by the native module from the core value's own serde form
(`src/to_python.rs`): its attributes are the model's wire fields, in wire order, and no
field is listed in this package (the stubs, `_models.pyi`, type them and a test checks
them against the core). An optional field the server left out reads as `None` and is
left out of `to_dict()` again. `repr` is the core's redacted `Debug`: no personal data,
no routing or account number.
"""

from __future__ import annotations

from jiko_onboarding import _native


def _plain(value):
    """The wire form of an attribute value: records as dicts, lists copied."""
    if isinstance(value, Record):
        return value.to_dict()
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


class Record:
    """Base class of the records. Read-only; compares by value; pickles through its
    wire form (`from_dict(to_dict())`)."""

    __slots__ = ("_fields", "_absent")

    def __init__(self, *args, **kwargs):
        name = type(self).__name__
        raise TypeError(f"{name} is made by the SDK's parsers, or by {name}.from_dict(data)")

    @classmethod
    def _make(cls, fields, absent):
        """Called by the native module: the fields, and the optional ones the wire form
        leaves out."""
        self = object.__new__(cls)
        object.__setattr__(self, "_fields", fields)
        object.__setattr__(self, "_absent", absent)
        return self

    @classmethod
    def from_dict(cls, data):
        """The record for a wire-form dict (such as `to_dict()` returned), decoded by the
        core: `InvalidArgumentError` (`invalid_model`) if it is not one."""
        return _native._record_from_dict(cls.__name__, data)

    def to_dict(self):
        """The wire form: a dict with the API's field names, as `json.dumps` takes it."""
        absent = self._absent
        return {k: _plain(v) for k, v in self._fields.items() if k not in absent}

    def __getattr__(self, name):
        if not name.startswith("_"):
            try:
                value = self._fields[name]
            except KeyError:
                pass
            else:
                # Lists are copied: a record never changes.
                return list(value) if isinstance(value, list) else value
        raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")

    def __setattr__(self, name, value):
        raise AttributeError(f"{type(self).__name__} is read-only")

    def __delattr__(self, name):
        raise AttributeError(f"{type(self).__name__} is read-only")

    def __dir__(self):
        return sorted(set(super().__dir__()) | set(self._fields))

    def __eq__(self, other):
        if type(other) is not type(self):
            return NotImplemented
        return self._fields == other._fields

    __hash__ = None

    def __repr__(self):
        return _native._record_repr(type(self).__name__, self)

    def __reduce__(self):
        return (type(self).from_dict, (self.to_dict(),))


# --- Onboarding ----------------------------------------------------------------------


class FieldError(Record):
    """One problem with one field: `path` (dotted), a stable `code`, and a `message`
    that never contains the rejected value."""

    __slots__ = ()


class Name(Record):
    """The applicant's name. Personal data: `repr` hides it."""

    __slots__ = ()


class Address(Record):
    """A residential address. Personal data: `repr` hides it."""

    __slots__ = ()


class InvestmentProfile(Record):
    """Suitability data. `repr` shows the employment status only."""

    __slots__ = ()


class AgreementConsent(Record):
    """Time-stamped consent to a version of the agreement bundle."""

    __slots__ = ()


class DateOfBirth(Record):
    """An application's date of birth, nested as the API sends it:
    `application.date_of_birth.date_of_birth` is `YYYY-MM-DD`."""

    __slots__ = ()


class Document(Record):
    """A document requested for, or uploaded to, an application (its type is `type`)."""

    __slots__ = ()


class Application(Record):
    """An application as the server returns it. `repr` shows its id, status, flags and
    documents only."""

    __slots__ = ()


class AgreementDocument(Record):
    """One document of the agreement bundle (its kind is `type`)."""

    __slots__ = ()


class Agreements(Record):
    """The versioned agreement bundle: show it, then record consent with `version`."""

    __slots__ = ()


class UploadedDocument(Record):
    """The answer to an upload."""

    __slots__ = ()


class DocumentRequirement(Record):
    """One document the user still has to provide: any one of `one_of` satisfies it."""

    __slots__ = ()


class NextAction(Record):
    """The next step for an application. `kind` is `apply`, `upload_documents`, `wait`,
    `approved`, `rejected` or `unknown`; the attributes of the other kinds are empty."""

    __slots__ = ()

    @property
    def requirements(self):
        """For `upload_documents`: what is still missing (otherwise `[]`)."""
        return list(self._fields.get("requirements", []))

    @property
    def reason(self):
        """For `wait`: `kyc_in_progress`, `manual_review` or `documents_in_review`."""
        return self._fields.get("reason")

    @property
    def customer_id(self):
        """For `approved`: the customer's id, when the server sent it."""
        return self._fields.get("customer_id")

    @property
    def status(self):
        """For `unknown`: the status this SDK does not know."""
        return self._fields.get("status")


class SandboxScenario(Record):
    """What Jiko's sandbox does with an application, decided by its SSN."""

    __slots__ = ()


# --- After approval ------------------------------------------------------------------


class Customer(Record):
    """A customer (Get Customer). Its personal fields never show in `repr`."""

    __slots__ = ()


class GeneralAddress(Record):
    """A customer's address. Personal data: `repr` hides it."""

    __slots__ = ()


class Amount(Record):
    """An amount of money: `value` in cents, `currency`, `formatted`."""

    __slots__ = ()


class Account(Record):
    """A Jiko account of a customer."""

    __slots__ = ()


class Accounts(Record):
    """A page of List Customer Accounts (`items`)."""

    __slots__ = ()


class Portal(Record):
    """A portal: the routing and account numbers that receive ACH and wire deposits.
    Both are strings (leading zeros matter) and never show in `repr`."""

    __slots__ = ()


class Portals(Record):
    """The answer to List Portals (`portals`)."""

    __slots__ = ()


# --- Subscriptions and events --------------------------------------------------------


class Subscription(Record):
    """A webhook subscription. Its shared secret is never returned."""

    __slots__ = ()


class EventPayload(Record):
    """The ids an event is about."""

    __slots__ = ()


class WebhookEvent(Record):
    """An event: a webhook delivery's body, or an item of List Events. A hint, never a
    state change: answer it with `notify` and a fresh read."""

    __slots__ = ()

    @property
    def application_id(self):
        """The application the event is about (the four application events)."""
        return self._fields["payload"].application_id


class DeliveryAttempt(Record):
    """One attempt to deliver an event to a subscription."""

    __slots__ = ()


class PartnerEvent(Record):
    """An event with its delivery attempts (List Events)."""

    __slots__ = ()


class Events(Record):
    """A page of List Events: pass `next_page` back as `cursor`."""

    __slots__ = ()


# --- Flows ---------------------------------------------------------------------------


class ApprovedCustomer(Record):
    """An approved flow's customer: its id and each account with its portals."""

    __slots__ = ()


class ApprovedAccount(Record):
    """An account of an approved customer."""

    __slots__ = ()


class PortalDetails(Record):
    """A portal's deposit instructions. The numbers never show in `repr`; show them to
    their owner masked (`mask_number`)."""

    __slots__ = ()


class FlowConfig(Record):
    """How a flow behaves (`FlowConfig.from_dict({"webhooks": True})`: the fields
    that differ from the defaults)."""

    __slots__ = ()


class RetryPolicy(Record):
    """The retry policy of a `FlowConfig`."""

    __slots__ = ()


class PollPolicy(Record):
    """The poll schedule of a `FlowConfig`."""

    __slots__ = ()


# The record classes by name, for the native module (the core's serde names).
RECORDS = {cls.__name__: cls for cls in Record.__subclasses__()}
