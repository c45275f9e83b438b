//! Byte scans eight bytes at a time, for the hot loops of preparing a request in
//! WebAssembly: comparing object keys, finding where a JSON string ends, counting line
//! breaks in a prepared head. There, a byte loop (or `memcmp`, a call and a byte loop)
//! costs several times more than one 64-bit word per eight bytes.
//!
//! Every flag here is exact for every byte: no carry crosses from one byte to the next,
//! so a flagged byte is always a matching byte, wherever it is in the word.

const ONES: u64 = 0x0101_0101_0101_0101;
const LOW7: u64 = 0x7f7f_7f7f_7f7f_7f7f;

/// Up to eight bytes as one little-endian word, zero-padded.
#[inline]
pub(crate) fn word(bytes: &[u8]) -> u64 {
    match <[u8; 8]>::try_from(bytes) {
        Ok(whole) => u64::from_le_bytes(whole),
        Err(_) => bytes
            .iter()
            .take(8)
            .enumerate()
            .fold(0, |v, (i, &b)| v | u64::from(b) << (8 * i)),
    }
}

/// The high bit of each byte of `v` below `n` (`n` at most 0x80), and of no other.
#[inline]
pub(crate) fn bytes_below(v: u64, n: u8) -> u64 {
    // A byte's low seven bits plus 0x80 - n reach its high bit exactly when they are at
    // least n, and stay within the byte; `| v` then flags the bytes of 0x80 and above.
    !(((v & LOW7) + ONES * u64::from(0x80 - n.min(0x80))) | v) & !LOW7
}

/// The high bit of each byte of `v` equal to `b`, and of no other.
#[inline]
pub(crate) fn bytes_equal(v: u64, b: u8) -> u64 {
    bytes_below(v ^ (ONES * u64::from(b)), 1)
}

/// The index of the first byte of `bytes` that `flags` marks (given a word, it returns
/// the flags of its bytes), or `bytes.len()` when none does.
#[inline]
pub(crate) fn first(bytes: &[u8], flags: impl Fn(u64) -> u64) -> usize {
    // Whole words first (`chunks_exact`: measurably faster in WebAssembly than `chunks`).
    let mut words = bytes.chunks_exact(8);
    for (i, chunk) in words.by_ref().enumerate() {
        let found = flags(word(chunk));
        if found != 0 {
            return i * 8 + (found.trailing_zeros() / 8) as usize;
        }
    }
    let rest = words.remainder();
    let found = flags(word(rest));
    let at = bytes.len() - rest.len() + (found.trailing_zeros() / 8) as usize;
    // The zero padding of the last word may be flagged: never past the end.
    at.min(bytes.len())
}

/// How many bytes of `bytes` `flags` marks. It must not mark a zero byte: the last word
/// is padded with them.
#[inline]
pub(crate) fn count(bytes: &[u8], flags: impl Fn(u64) -> u64) -> usize {
    let mut words = bytes.chunks_exact(8);
    let whole: usize = words
        .by_ref()
        .map(|chunk| flags(word(chunk)).count_ones() as usize)
        .sum();
    whole + flags(word(words.remainder())).count_ones() as usize
}

/// `a == b` for object keys. Validation and the writer look up about 80 keys per
/// application; `==` on slices calls `memcmp` (11% of reading, validating and writing
/// the body in WebAssembly).
#[inline]
pub(crate) fn same_key(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut a_words = a.chunks_exact(8);
    let mut b_words = b.chunks_exact(8);
    for (x, y) in a_words.by_ref().zip(b_words.by_ref()) {
        if word(x) != word(y) {
            return false;
        }
    }
    word(a_words.remainder()) == word(b_words.remainder())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_are_exact_for_every_byte_and_position() {
        for background in [0x00u8, 0x01, 0x1f, 0x20, 0x7f, 0x80, 0xff] {
            for at in 0..8 {
                for byte in 0..=255u8 {
                    let mut bytes = [background; 8];
                    bytes[at] = byte;
                    let v = word(&bytes);
                    for n in [1u8, 0x20, 0x80] {
                        let expected = bytes.iter().enumerate().fold(0u64, |f, (i, &b)| {
                            if b < n {
                                f | 0x80 << (8 * i)
                            } else {
                                f
                            }
                        });
                        assert_eq!(bytes_below(v, n), expected, "{bytes:?} below {n:#x}");
                    }
                    for b in [b'"', b'\n', 0x00, 0xff] {
                        let expected = bytes.iter().enumerate().fold(0u64, |f, (i, &x)| {
                            if x == b {
                                f | 0x80 << (8 * i)
                            } else {
                                f
                            }
                        });
                        assert_eq!(bytes_equal(v, b), expected, "{bytes:?} equal {b:#x}");
                    }
                }
            }
        }
    }

    #[test]
    fn word_pads_short_chunks_with_zeros() {
        assert_eq!(word(b""), 0);
        assert_eq!(word(b"ab"), u64::from_le_bytes(*b"ab\0\0\0\0\0\0"));
        assert_eq!(word(b"abcdefgh"), u64::from_le_bytes(*b"abcdefgh"));
    }

    #[test]
    fn same_key_is_equality() {
        let keys = [
            "",
            "a",
            "b",
            "ab",
            "city",
            "state",
            "income",
            "abcdefg",
            "abcdefgh",
            "abcdefgi",
            "abcdefghi",
            "abcdefghj",
            "identification_type",
            "identification_typo",
            "citizenship_country",
            "identification_number",
            "street_address",
            "street_address2",
            "é",
            "e\u{301}",
        ];
        for a in keys {
            for b in keys {
                assert_eq!(same_key(a, b), a == b, "{a:?} {b:?}");
            }
        }
    }
}
