//! Subscriptions and events: what Jiko tells a partner through webhooks and List Events.
//!
//! An event is a hint, never a state change: the four application events carry only the
//! application's id, and the flow engine answers one with a fresh signed read.

use serde::{Deserialize, Serialize};

use crate::open_enum::open_enum;

open_enum! {
    /// The type of an event (`event_type`). Jiko adds types over time.
    pub enum EventType {
        /// The application was approved; a customer exists.
        ApplicationApproved => "application.approved",
        /// Documents must be uploaded.
        ApplicationDocumentsNeeded => "application.documents_needed",
        /// A person is reviewing the application.
        ApplicationManualReview => "application.manual_review",
        /// The application was rejected.
        ApplicationRejected => "application.rejected",
        /// A card was closed.
        CardStatusClosed => "card.status.closed",
        /// A card was frozen.
        CardStatusFrozen => "card.status.frozen",
        /// A card was locked.
        CardStatusLocked => "card.status.locked",
        /// A card was opened.
        CardStatusOpen => "card.status.open",
        /// A card transaction was approved.
        CardTransactionApproved => "card.transaction.approved",
        /// A card transaction was rejected.
        CardTransactionRejected => "card.transaction.rejected",
        /// An outgoing ACH transfer succeeded.
        TransfersAchOutSuccess => "transfers.ach.out.success",
        /// An outgoing ACH transfer was rejected.
        TransfersAchOutRejected => "transfers.ach.out.rejected",
        /// An incoming ACH transfer was credited.
        TransfersAchInSuccess => "transfers.ach.in.success",
        /// An incoming ACH transfer was rejected.
        TransfersAchInRejected => "transfers.ach.in.rejected",
        /// An outgoing wire is being processed.
        TransfersWireOutProcessing => "transfers.wire.out.processing",
        /// An outgoing wire succeeded.
        TransfersWireOutSuccess => "transfers.wire.out.success",
        /// An outgoing wire was rejected.
        TransfersWireOutRejected => "transfers.wire.out.rejected",
        /// An on-us transfer is being processed.
        TransfersOnUsProcessing => "transfers.on-us.processing",
        /// An on-us transfer succeeded.
        TransfersOnUsSuccess => "transfers.on-us.success",
        /// An on-us transfer was rejected.
        TransfersOnUsRejected => "transfers.on-us.rejected",
    }
}

impl EventType {
    /// The four application events, the ones an onboarding flow subscribes to.
    pub const APPLICATION_EVENTS: [EventType; 4] = [
        EventType::ApplicationApproved,
        EventType::ApplicationDocumentsNeeded,
        EventType::ApplicationManualReview,
        EventType::ApplicationRejected,
    ];
}

open_enum! {
    /// Whether a subscription delivers (`status`; lower case on the wire).
    pub enum SubscriptionStatus {
        /// Deliveries are made.
        Enabled => "enabled",
        /// Deliveries are paused.
        Disabled => "disabled",
    }
}

/// A webhook subscription as Jiko returns it. The shared secret is never returned.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "tsify", derive(tsify::Tsify))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Subscription {
    /// Subscription id (a UUID).
    pub id: String,
    /// Where deliveries are POSTed.
    pub url: String,
    /// The event types delivered.
    pub events: Vec<EventType>,
    /// Free text.
    #[serde(default)]
    pub description: String,
    /// Whether deliveries are made.
    pub status: SubscriptionStatus,
    /// Creation time, RFC 3339.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time_created: Option<String>,
    /// Last change, RFC 3339.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated_at: Option<String>,
}

/// The payload fields the SDK reads; other payload fields are ignored.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "tsify", derive(tsify::Tsify))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct EventPayload {
    /// Set by the four application events.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub application_id: Option<String>,
    /// Set by the ACH and wire transfer events.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub jiko_account_id: Option<String>,
}

/// An event (`EventDetails`): the body of a webhook delivery, and each item of List
/// Events. Ids only: nothing personal.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "tsify", derive(tsify::Tsify))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct WebhookEvent {
    /// Unique per event: deduplicate deliveries by it.
    pub event_id: String,
    /// What happened.
    pub event_type: EventType,
    /// When, RFC 3339.
    pub timestamp: String,
    /// The ids the event is about.
    pub payload: EventPayload,
}

impl WebhookEvent {
    /// The application the event is about (the four application events).
    pub fn application_id(&self) -> Option<&str> {
        self.payload.application_id.as_deref()
    }
}

/// One attempt to deliver an event to a subscription (`DeliveryAttemptDetails`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "tsify", derive(tsify::Tsify))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct DeliveryAttempt {
    /// Attempt id.
    pub delivery_attempt_id: String,
    /// The subscription delivered to.
    pub subscription_id: String,
    /// Whether the receiver accepted it.
    pub success: bool,
    /// The receiver's HTTP status.
    pub response_code: i64,
    /// The receiver's reason phrase, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub response_message: Option<String>,
    /// When, RFC 3339.
    pub called_at: String,
}

/// An event with its delivery attempts (`PartnerEvent`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "tsify", derive(tsify::Tsify))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct PartnerEvent {
    /// The event.
    pub event: WebhookEvent,
    /// Every delivery attempt so far.
    #[serde(default)]
    pub delivery_attempts: Vec<DeliveryAttempt>,
}

/// A page of List Events (cursor paging): pass `next_page` back as `cursor`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "tsify", derive(tsify::Tsify))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Events {
    /// The events of this page, oldest first.
    pub items: Vec<PartnerEvent>,
    /// The cursor of the next page, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_page: Option<String>,
    /// The cursor of the previous page, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prev_page: Option<String>,
}

/// The body of Create Subscription. The secret is written into the body and never
/// printed.
#[cfg(feature = "signing")]
#[derive(Serialize)]
pub(crate) struct CreateSubscriptionBody<'a> {
    pub url: &'a str,
    pub events: &'a [EventType],
    pub shared_secret: &'a str,
    #[serde(skip_serializing_if = "str::is_empty")]
    pub description: &'a str,
}

#[cfg(feature = "signing")]
impl std::fmt::Debug for CreateSubscriptionBody<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CreateSubscriptionBody")
            .field("url", &self.url)
            .field("events", &self.events)
            .finish_non_exhaustive()
    }
}
