//! Deposit instructions and money: ABA routing numbers with a valid check digit,
//! account numbers, and the API's `Amount` (cents, currency, formatted).

use serde_json::{json, Value};

use crate::rng::SplitMix64;

/// Whether nine digits pass the ABA check: 3(d1+d4+d7) + 7(d2+d5+d8) + (d3+d6+d9)
/// is a multiple of 10.
pub fn aba_routing_number_is_valid(routing_number: &str) -> bool {
    let digits: Vec<u32> = routing_number
        .bytes()
        .filter(u8::is_ascii_digit)
        .map(|b| u32::from(b - b'0'))
        .collect();
    if digits.len() != 9 || routing_number.len() != 9 {
        return false;
    }
    let sum: u32 = digits
        .iter()
        .zip([3, 7, 1, 3, 7, 1, 3, 7, 1])
        .map(|(d, w)| d * w)
        .sum();
    sum % 10 == 0
}

/// A routing number: a Federal Reserve district prefix (01 to 12), six digits, and
/// the check digit that makes it valid.
pub(crate) fn routing_number(rng: &mut SplitMix64) -> String {
    let mut digits = [0u8; 9];
    let district = u8::try_from(rng.between(1, 12)).unwrap_or(1);
    digits[0] = district / 10;
    digits[1] = district % 10;
    for d in digits.iter_mut().take(8).skip(2) {
        *d = rng.digit();
    }
    let partial: u32 = digits
        .iter()
        .take(8)
        .zip([3u32, 7, 1, 3, 7, 1, 3, 7])
        .map(|(d, w)| u32::from(*d) * w)
        .sum();
    digits[8] = u8::try_from((10 - partial % 10) % 10).unwrap_or(0);
    digits.iter().map(|d| char::from(b'0' + d)).collect()
}

/// An account number: 10 to 12 digits; it may start with 0, so it stays a string.
pub(crate) fn account_number(rng: &mut SplitMix64) -> String {
    let len = rng.between(10, 12);
    (0..len).map(|_| char::from(b'0' + rng.digit())).collect()
}

/// `$1,234.56` for 123456 cents.
pub(crate) fn formatted_usd(cents: u64) -> String {
    let dollars = (cents / 100).to_string();
    let mut grouped = String::new();
    for (i, c) in dollars.chars().enumerate() {
        if i > 0 && (dollars.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    format!("${grouped}.{:02}", cents % 100)
}

/// The API's `Amount`.
pub(crate) fn amount(cents: u64) -> Value {
    json!({ "value": cents, "currency": "USD", "formatted": formatted_usd(cents) })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::stream;

    #[test]
    fn known_routing_numbers() {
        // Published routing numbers of large US banks.
        for valid in ["021000021", "011000015", "121000358", "026009593"] {
            assert!(aba_routing_number_is_valid(valid), "{valid}");
        }
        for invalid in ["021000022", "12345678", "0210000210", "02100002a", ""] {
            assert!(!aba_routing_number_is_valid(invalid), "{invalid}");
        }
    }

    #[test]
    fn generated_numbers_are_valid() {
        let mut rng = SplitMix64::new(3, stream::IDS);
        for _ in 0..1000 {
            let r = routing_number(&mut rng);
            assert!(aba_routing_number_is_valid(&r), "{r}");
            let district: u8 = r[..2].parse().unwrap();
            assert!((1..=12).contains(&district), "{r}");
            let a = account_number(&mut rng);
            assert!((10..=12).contains(&a.len()) && a.bytes().all(|b| b.is_ascii_digit()));
        }
    }

    #[test]
    fn amounts_are_formatted() {
        assert_eq!(formatted_usd(0), "$0.00");
        assert_eq!(formatted_usd(5), "$0.05");
        assert_eq!(formatted_usd(123_456), "$1,234.56");
        assert_eq!(formatted_usd(499_999_999), "$4,999,999.99");
        assert_eq!(formatted_usd(100_000_000), "$1,000,000.00");
        assert_eq!(
            amount(150),
            json!({"value": 150, "currency": "USD", "formatted": "$1.50"})
        );
    }
}
