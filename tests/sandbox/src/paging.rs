//! Cursor pages (`{prev_page, next_page, items, object_type: "CursorList"}`) for List
//! Subscriptions and List Events. A cursor is opaque to clients: standard base64 of
//! `p=N` (the page that starts at position N) or `r=1&p=N` (the page that ends just
//! before N), the shape of the tokens in Jiko's examples.

use std::ops::Range;

use base64::Engine as _;
use serde_json::{json, Value};

/// Default page size of the cursor lists.
pub const DEFAULT_LIMIT: usize = 30;
/// Largest page size.
pub const MAX_LIMIT: usize = 100;

/// Where a page starts or ends.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) enum Cursor {
    /// The first page.
    #[default]
    Start,
    /// The page starting at the first item whose key is at least this.
    From(u64),
    /// The page ending just before the first item whose key is at least this.
    Before(u64),
}

impl Cursor {
    /// Parses a cursor from a previous answer; `None` when it is not one. An empty
    /// text is the first page.
    pub(crate) fn parse(text: &str) -> Option<Cursor> {
        if text.is_empty() {
            return Some(Cursor::Start);
        }
        let raw = base64::engine::general_purpose::STANDARD
            .decode(text)
            .ok()?;
        let raw = std::str::from_utf8(&raw).ok()?;
        let (reverse, position) = match raw.strip_prefix("r=1&p=") {
            Some(p) => (true, p),
            None => (false, raw.strip_prefix("p=")?),
        };
        if position.is_empty() || !position.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let position = position.parse().ok()?;
        Some(if reverse {
            Cursor::Before(position)
        } else {
            Cursor::From(position)
        })
    }

    fn encode(self) -> Option<String> {
        let raw = match self {
            Cursor::Start => return None,
            Cursor::From(p) => format!("p={p}"),
            Cursor::Before(p) => format!("r=1&p={p}"),
        };
        Some(base64::engine::general_purpose::STANDARD.encode(raw))
    }
}

/// A page of a list whose items have increasing keys.
pub(crate) struct Page {
    pub range: Range<usize>,
    prev: Option<u64>,
    next: Option<u64>,
}

impl Page {
    /// The cursor list around these items.
    pub(crate) fn to_json(&self, items: Vec<Value>) -> Value {
        json!({
            "prev_page": self.prev.and_then(|p| Cursor::Before(p).encode()),
            "next_page": self.next.and_then(|p| Cursor::From(p).encode()),
            "items": items,
            "object_type": "CursorList",
        })
    }
}

/// The page of `keys` (increasing) that `cursor` and `limit` (1 or more) select.
pub(crate) fn page(keys: &[u64], cursor: Cursor, limit: usize) -> Page {
    let limit = limit.max(1);
    let first_at_least = |k: u64| keys.partition_point(|x| *x < k);
    let (start, end) = match cursor {
        Cursor::Start => (0, limit.min(keys.len())),
        Cursor::From(k) => {
            let s = first_at_least(k);
            (s, (s + limit).min(keys.len()))
        }
        Cursor::Before(k) => {
            let e = first_at_least(k);
            (e.saturating_sub(limit), e)
        }
    };
    Page {
        prev: (start > 0).then(|| keys.get(start).copied()).flatten(),
        next: keys.get(end).copied(),
        range: start..end,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_walk_forward_and_back() {
        let keys: Vec<u64> = (10..20).collect();
        let p = page(&keys, Cursor::Start, 4);
        assert_eq!((p.range.clone(), p.prev, p.next), (0..4, None, Some(14)));
        let p = page(&keys, Cursor::From(14), 4);
        assert_eq!(
            (p.range.clone(), p.prev, p.next),
            (4..8, Some(14), Some(18))
        );
        let p = page(&keys, Cursor::From(18), 4);
        assert_eq!((p.range.clone(), p.prev, p.next), (8..10, Some(18), None));
        let p = page(&keys, Cursor::Before(18), 4);
        assert_eq!(
            (p.range.clone(), p.prev, p.next),
            (4..8, Some(14), Some(18))
        );
        let p = page(&keys, Cursor::Before(12), 4);
        assert_eq!((p.range.clone(), p.prev, p.next), (0..2, None, Some(12)));
        let p = page(&[], Cursor::Start, 30);
        assert_eq!((p.range.clone(), p.prev, p.next), (0..0, None, None));
        // A key that is gone (a deleted subscription) still places the page.
        let p = page(&[1, 2, 5, 9], Cursor::From(3), 2);
        assert_eq!(p.range, 2..4);
    }

    #[test]
    fn cursors_round_trip_and_junk_is_refused() {
        for c in [Cursor::From(0), Cursor::From(42), Cursor::Before(7)] {
            assert_eq!(Cursor::parse(&c.encode().unwrap()), Some(c));
        }
        assert_eq!(Cursor::parse(""), Some(Cursor::Start));
        for junk in ["nope", "cD0=", "cD14", "!!", "cD0tMQ=="] {
            assert_eq!(Cursor::parse(junk), None, "{junk}");
        }
        let v = page(&[1, 2, 3], Cursor::From(2), 1).to_json(vec![json!(1)]);
        assert_eq!(v["object_type"], "CursorList");
        assert_eq!(
            Cursor::parse(v["next_page"].as_str().unwrap()),
            Some(Cursor::From(3))
        );
        assert_eq!(
            Cursor::parse(v["prev_page"].as_str().unwrap()),
            Some(Cursor::Before(2))
        );
    }
}
