//! What an approved application leads to: the customer, the customer's accounts and
//! each account's portals (the routing and account numbers that receive ACH deposits).
//!
//! Decoding ignores unknown fields and keeps unknown enum values. Routing and account
//! numbers are strings (leading zeros matter) and, like every personal field of the
//! customer, never appear in `Debug` output.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::models::Name;
use crate::open_enum::open_enum;

open_enum! {
    /// Whether the customer's account can be used (`CustomerAccountStatus`).
    pub enum CustomerAccountStatus {
        /// Usable.
        Open => "OPEN",
        /// Closed.
        Closed => "CLOSED",
        /// Frozen.
        Frozen => "FROZEN",
        /// The customer has no open pocket yet.
        Pending => "PENDING",
    }
}

open_enum! {
    /// The discriminator of a customer (`type`).
    pub enum CustomerType {
        /// A person.
        Individual => "INDIVIDUAL",
        /// A company.
        Business => "BUSINESS",
    }
}

open_enum! {
    /// Status of a v1 Jiko account (`AccountStatus`).
    pub enum AccountStatus {
        /// Usable.
        Open => "OPEN",
        /// Closed.
        Closed => "CLOSED",
        /// Frozen.
        Frozen => "FROZEN",
    }
}

open_enum! {
    /// Status of a portal (`PortalStatus`).
    pub enum PortalStatus {
        /// Receives transfers.
        Open => "OPEN",
        /// Closed for good.
        Closed => "CLOSED",
    }
}

/// A postal address as customers carry it (`GeneralAddress`).
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "tsify", derive(tsify::Tsify))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record), uniffi::export(Debug))]
pub struct GeneralAddress {
    /// Street and number.
    pub street_address: String,
    /// Apartment, suite or box.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub street_address2: Option<String>,
    /// City.
    pub city: String,
    /// Postal code.
    pub postal_code: String,
    /// State, when the country has states.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state: Option<String>,
    /// Country code (the API documents alpha-2 and shows `USA`).
    pub country: String,
}

impl fmt::Debug for GeneralAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("GeneralAddress").finish_non_exhaustive()
    }
}

/// A customer (`Individual`, or the shared fields of `Business`), from Get Customer.
///
/// The body has no id: keep the `customer_id` of the approved application.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "tsify", derive(tsify::Tsify))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record), uniffi::export(Debug))]
pub struct Customer {
    /// `INDIVIDUAL` or `BUSINESS`.
    #[serde(rename = "type")]
    pub customer_type: CustomerType,
    /// Whether the customer can use the account.
    pub account_status: CustomerAccountStatus,
    /// The individual's name (a business's name is a plain string and is not kept).
    #[serde(default, deserialize_with = "individual_name")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<Name>,
    /// E-mail.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// Phone number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone_number: Option<String>,
    /// Date of birth, `YYYY-MM-DD` (individuals).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date_of_birth: Option<String>,
    /// Address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<GeneralAddress>,
}

impl fmt::Debug for Customer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Customer")
            .field("customer_type", &self.customer_type)
            .field("account_status", &self.account_status)
            .finish_non_exhaustive()
    }
}

/// A business's `name` is a string; only an individual's is a [`Name`].
fn individual_name<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Name>, D::Error> {
    let value = serde_json::Value::deserialize(d)?;
    if value.is_object() {
        serde_json::from_value(value)
            .map(Some)
            .map_err(serde::de::Error::custom)
    } else {
        Ok(None)
    }
}

/// An amount of money (`Amount`): integer cents.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "tsify", derive(tsify::Tsify))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Amount {
    /// Cents.
    pub value: i64,
    /// Currency code, `USD`.
    pub currency: String,
    /// The amount written for people, such as `$1.00`.
    #[serde(default)]
    pub formatted: String,
}

/// A v1 Jiko account of a customer (`Account`): one T-bill maturity per account.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "tsify", derive(tsify::Tsify))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Account {
    /// Account id (a UUID); the `account_id` of List Portals.
    pub id: String,
    /// Display name, such as `J1 (4-week)`.
    #[serde(default)]
    pub name: String,
    /// Current value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total_value: Option<Amount>,
    /// Whether the account can be used.
    pub status: AccountStatus,
}

/// The answer to List Customer Accounts (`ListAccountsResponse`, offset paging).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "tsify", derive(tsify::Tsify))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Accounts {
    /// Offset of the first item.
    #[serde(default)]
    pub offset: u64,
    /// How many accounts the customer has.
    #[serde(default)]
    pub count: u64,
    /// The accounts of this page.
    pub items: Vec<Account>,
}

/// A portal (`Portal`): the routing and account numbers third-party banks push ACH and
/// wire transfers to. Both numbers are sensitive and are never printed.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "tsify", derive(tsify::Tsify))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record), uniffi::export(Debug))]
pub struct Portal {
    /// Portal id (a UUID).
    pub id: String,
    /// The account the portal pays into.
    pub jiko_account_id: String,
    /// ABA routing number.
    pub routing_number: String,
    /// Account number at that routing number.
    pub account_number: String,
    /// Whether the portal receives transfers.
    pub status: PortalStatus,
    /// The partner's name for the portal.
    #[serde(default)]
    pub name: String,
}

impl fmt::Debug for Portal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Portal")
            .field("id", &self.id)
            .field("jiko_account_id", &self.jiko_account_id)
            .field("status", &self.status)
            .finish_non_exhaustive()
    }
}

/// The answer to List Portals (`ListPortalsResponse`): the list is under `portals`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "tsify", derive(tsify::Tsify))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record), uniffi::export(Debug))]
pub struct Portals {
    /// How many portals the account has.
    #[serde(default)]
    pub count: u64,
    /// The portals.
    pub portals: Vec<Portal>,
}

/// `text` with all but its last four characters replaced by `*`, for showing a routing
/// or account number to the person it belongs to (never for logs).
pub fn mask_number(text: &str) -> String {
    let count = text.chars().count();
    text.chars()
        .enumerate()
        .map(|(i, c)| if i + 4 < count { '*' } else { c })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn individuals_and_businesses_decode() {
        let individual: Customer = serde_json::from_str(
            r#"{"type": "INDIVIDUAL", "account_status": "OPEN", "email": "a@b.co",
                "name": {"first_name": "Zoe", "last_name": "Q"}, "phone_number": "15551234567",
                "date_of_birth": "1970-01-01", "address": {"street_address": "1 Main",
                "city": "X", "postal_code": "94701", "country": "USA"}, "extra": 1}"#,
        )
        .unwrap();
        assert_eq!(individual.customer_type, CustomerType::Individual);
        assert_eq!(individual.name.unwrap().first_name, "Zoe");
        let business: Customer = serde_json::from_str(
            r#"{"type": "BUSINESS", "account_status": "HIBERNATING", "name": "Acme"}"#,
        )
        .unwrap();
        assert_eq!(business.name, None);
        assert_eq!(
            business.account_status,
            CustomerAccountStatus::Unknown("HIBERNATING".into())
        );
    }

    #[test]
    fn numbers_are_masked_to_their_last_four() {
        assert_eq!(mask_number("021000021"), "*****0021");
        assert_eq!(mask_number("0123"), "0123");
        assert_eq!(mask_number(""), "");
    }

    #[test]
    fn debug_never_prints_numbers_or_personal_fields() {
        let portal = Portal {
            id: "p".into(),
            jiko_account_id: "a".into(),
            routing_number: "021000021".into(),
            account_number: "000123456789".into(),
            status: PortalStatus::Open,
            name: "Default".into(),
        };
        let text = format!("{portal:?}");
        assert!(!text.contains("021000021") && !text.contains("123456789"));
    }
}
