//! What an approval creates: the customer (an individual, from the application's
//! data), one open account and one open portal with deposit instructions; and the
//! sandbox's ACH credits to that account (Fund Account).

use std::collections::HashMap;

use jiko_onboarding::Application;
use serde_json::{json, Value};

use crate::banking;
use crate::rng::SplitMix64;

/// The name of the account an approval opens (the API reference's example).
pub const ACCOUNT_NAME: &str = "J1 (4-week)";
/// The name of the portal an approval opens.
pub const PORTAL_NAME: &str = "Default";

/// A customer: the `Individual` body, built once at approval.
struct Customer {
    individual: Value,
    accounts: Vec<String>,
}

struct Account {
    id: String,
    cash_cents: u64,
    portals: Vec<Portal>,
}

struct Portal {
    id: String,
    routing_number: String,
    account_number: String,
}

/// Customers, accounts and portals.
#[derive(Default)]
pub(crate) struct Bank {
    customers: HashMap<String, Customer>,
    accounts: HashMap<String, Account>,
}

impl Bank {
    /// Opens the customer `customer_id` from an approved application, with one account
    /// and one portal.
    pub(crate) fn open(&mut self, customer_id: &str, app: &Application, ids: &mut SplitMix64) {
        let account_id = ids.uuid();
        let portal = Portal {
            id: ids.uuid(),
            routing_number: banking::routing_number(ids),
            account_number: banking::account_number(ids),
        };
        self.accounts.insert(
            account_id.clone(),
            Account {
                id: account_id.clone(),
                cash_cents: 0,
                portals: vec![portal],
            },
        );
        self.customers.insert(
            customer_id.to_ascii_lowercase(),
            Customer {
                individual: individual(app),
                accounts: vec![account_id],
            },
        );
    }

    /// Get Customer.
    pub(crate) fn customer(&self, id: &str) -> Option<Value> {
        self.customers
            .get(&id.to_ascii_lowercase())
            .map(|c| c.individual.clone())
    }

    /// List Customer Accounts (offset paging); `None` for an unknown customer.
    pub(crate) fn accounts_of(
        &self,
        customer_id: &str,
        offset: usize,
        limit: usize,
    ) -> Option<Value> {
        let customer = self.customers.get(&customer_id.to_ascii_lowercase())?;
        let items: Vec<Value> = customer
            .accounts
            .iter()
            .skip(offset)
            .take(limit)
            .filter_map(|id| self.accounts.get(id))
            .map(Account::to_json)
            .collect();
        Some(
            json!({ "offset": offset, "count": items.len(), "items": items, "object_type": "List" }),
        )
    }

    /// Get Customer Account.
    pub(crate) fn account(&self, id: &str) -> Option<Value> {
        self.accounts
            .get(&id.to_ascii_lowercase())
            .map(Account::to_json)
    }

    /// List Portals of an account.
    pub(crate) fn portals_of(&self, account_id: &str) -> Option<Value> {
        let account = self.accounts.get(&account_id.to_ascii_lowercase())?;
        let portals: Vec<Value> = account
            .portals
            .iter()
            .map(|p| p.to_json(&account.id))
            .collect();
        Some(json!({ "count": portals.len(), "portals": portals, "object_type": "List" }))
    }

    /// Fund Account: `count` ACH credits of `cents` each. Returns the account's id as
    /// stored (for the events), or `None` when there is no such account or it has no
    /// open portal to receive the credit.
    pub(crate) fn credit(&mut self, account_id: &str, cents: u64, count: u32) -> Option<String> {
        let account = self.accounts.get_mut(&account_id.to_ascii_lowercase())?;
        if account.portals.is_empty() {
            return None;
        }
        account.cash_cents = account
            .cash_cents
            .saturating_add(cents.saturating_mul(u64::from(count)));
        Some(account.id.clone())
    }
}

impl Account {
    fn to_json(&self) -> Value {
        json!({
            "id": self.id,
            "name": ACCOUNT_NAME,
            "total_value": banking::amount(self.cash_cents),
            "status": "OPEN",
            "portfolio": {
                "securities": [],
                "cash": banking::amount(self.cash_cents),
                "all_time_earnings": banking::amount(0),
            },
            "object_type": "Account",
        })
    }
}

impl Portal {
    fn to_json(&self, account_id: &str) -> Value {
        json!({
            "id": self.id,
            "jiko_account_id": account_id,
            "routing_number": self.routing_number,
            "account_number": self.account_number,
            "status": "OPEN",
            "name": PORTAL_NAME,
            "object_type": "Portal",
        })
    }
}

/// The `Individual` of Get Customer, from the application: the date of birth flat,
/// the address in `GeneralAddress`'s fields.
fn individual(app: &Application) -> Value {
    json!({
        "type": "INDIVIDUAL",
        "name": app.name,
        "email": app.email,
        "phone_number": app.phone_number,
        "date_of_birth": app.date_of_birth.as_ref().map(|d| d.date_of_birth.clone()),
        "address": app.address,
        "account_status": "OPEN",
        "object_type": "Individual",
    })
}
