//! A quick reader for the JSON texts an application usually is, with serde_json as the
//! judge of everything else.
//!
//! `JSON.stringify` of a form, a request body: objects, strings, `true`, `false`,
//! `null`. For those, walking the bytes once is about three times faster in
//! WebAssembly than serde_json's visitor machinery (which checks UTF-8 string by string
//! and calls through a visitor per value). The reader gives up (`None`) at anything
//! whose reading takes care — a number (range, exponent, rounding), a `\u` escape
//! (surrogates), a control character, nesting deeper than [`MAX_DEPTH`], invalid
//! UTF-8, any syntax error — and [`Json::parse`](super::Json::parse) then asks serde_json.
//! So a text is accepted only when serde_json would accept it too, and read into the
//! same tree: the tests and the `validate_application` fuzz target check both.

use std::borrow::Cow;

use super::Json;
use crate::scan;

/// Deeper nesting is left to serde_json (its limit is 128): it also bounds the
/// recursion here.
const MAX_DEPTH: usize = 64;

/// The tree of `text`, or `None` when the quick reader does not decide (the tests' view;
/// [`Json::parse`](super::Json::parse) goes through [`read_compact`]).
#[cfg(test)]
pub(super) fn read(text: &[u8]) -> Option<Json<'_>> {
    read_compact(text).map(|(tree, _)| tree)
}

/// [`read`], and whether the text is compact: no whitespace between its tokens (as
/// `JSON.stringify` and `json.dumps(..., separators=(",", ":"))` write it).
pub(super) fn read_compact(text: &[u8]) -> Option<(Json<'_>, bool)> {
    // One pass over the whole text; afterwards every slice between two ASCII
    // delimiters is a valid `str`.
    let text = std::str::from_utf8(text).ok()?;
    let mut reader = Reader {
        text,
        bytes: text.as_bytes(),
        at: 0,
        spaced: false,
    };
    let value = reader.value(0)?;
    reader.skip_whitespace();
    (reader.at == reader.bytes.len()).then_some((value, !reader.spaced))
}

struct Reader<'a> {
    text: &'a str,
    bytes: &'a [u8],
    at: usize,
    /// Whether whitespace was skipped anywhere between tokens.
    spaced: bool,
}

impl<'a> Reader<'a> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.at).copied()
    }

    /// JSON's four whitespace characters, as serde_json skips them.
    fn skip_whitespace(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.peek() {
            self.at += 1;
            self.spaced = true;
        }
    }

    fn eat(&mut self, byte: u8) -> Option<()> {
        self.skip_whitespace();
        (self.peek()? == byte).then(|| self.at += 1)
    }

    fn value(&mut self, depth: usize) -> Option<Json<'a>> {
        self.skip_whitespace();
        match self.peek()? {
            b'"' => self.string().map(Json::String),
            b'{' => self.object(depth + 1),
            b'[' => self.array(depth + 1),
            b't' => self.literal("true", Json::Bool),
            b'f' => self.literal("false", Json::Bool),
            b'n' => self.literal("null", Json::Null),
            // Numbers and anything else: serde_json's to judge.
            _ => None,
        }
    }

    fn literal(&mut self, word: &str, value: Json<'a>) -> Option<Json<'a>> {
        let end = self.at.checked_add(word.len())?;
        (self.bytes.get(self.at..end)? == word.as_bytes()).then(|| {
            self.at = end;
            value
        })
    }

    fn object(&mut self, depth: usize) -> Option<Json<'a>> {
        if depth > MAX_DEPTH {
            return None;
        }
        // Past the `{`. One allocation for the objects of an application (2 to 11
        // members).
        self.at += 1;
        let mut members = Vec::with_capacity(8);
        self.skip_whitespace();
        if self.peek()? == b'}' {
            self.at += 1;
            return Some(Json::Object(members));
        }
        loop {
            self.skip_whitespace();
            if self.peek()? != b'"' {
                return None;
            }
            let key = self.string()?;
            self.eat(b':')?;
            let value = self.value(depth)?;
            members.push((key, value));
            self.skip_whitespace();
            match self.peek()? {
                b',' => self.at += 1,
                b'}' => {
                    self.at += 1;
                    return Some(Json::Object(members));
                }
                _ => return None,
            }
        }
    }

    fn array(&mut self, depth: usize) -> Option<Json<'a>> {
        if depth > MAX_DEPTH {
            return None;
        }
        self.at += 1; // [
        self.skip_whitespace();
        if self.peek()? == b']' {
            self.at += 1;
            return Some(Json::Array);
        }
        loop {
            // Elements are read (so that they are checked) and dropped, as serde_json's
            // reading of a `Json` does.
            self.value(depth)?;
            self.skip_whitespace();
            match self.peek()? {
                b',' => self.at += 1,
                b']' => {
                    self.at += 1;
                    return Some(Json::Array);
                }
                _ => return None,
            }
        }
    }

    /// A string at the opening quote: borrowed when it has no escapes.
    fn string(&mut self) -> Option<Cow<'a, str>> {
        self.at += 1; // "
        let start = self.at;
        self.at += plain_prefix(self.bytes.get(self.at..)?);
        loop {
            match *self.bytes.get(self.at)? {
                b'"' => {
                    let text = self.text.get(start..self.at)?;
                    self.at += 1;
                    return Some(Cow::Borrowed(text));
                }
                b'\\' => break,
                // Control characters must be escaped: serde_json refuses them.
                0x00..=0x1f => return None,
                _ => self.at += 1,
            }
        }
        let mut owned = String::from(self.text.get(start..self.at)?);
        loop {
            match *self.bytes.get(self.at)? {
                b'"' => {
                    self.at += 1;
                    return Some(Cow::Owned(owned));
                }
                b'\\' => {
                    let unescaped = match *self.bytes.get(self.at + 1)? {
                        b'"' => '"',
                        b'\\' => '\\',
                        b'/' => '/',
                        b'b' => '\u{8}',
                        b'f' => '\u{c}',
                        b'n' => '\n',
                        b'r' => '\r',
                        b't' => '\t',
                        // `\u` (surrogates) and invalid escapes: serde_json's to judge.
                        _ => return None,
                    };
                    owned.push(unescaped);
                    self.at += 2;
                }
                0x00..=0x1f => return None,
                _ => {
                    // A run up to the next quote or backslash, copied at once.
                    let run = self.at;
                    while let Some(b) = self.peek() {
                        if b == b'"' || b == b'\\' || b < 0x20 {
                            break;
                        }
                        self.at += 1;
                    }
                    owned.push_str(self.text.get(run..self.at)?);
                }
            }
        }
    }
}

/// How many bytes at the start of `bytes` a string holds as they are: up to the first
/// quote, backslash or control character. Eight bytes at a time (the usual string is a
/// name, a code or a date).
fn plain_prefix(bytes: &[u8]) -> usize {
    scan::first(bytes, |v| {
        scan::bytes_equal(v, b'"') | scan::bytes_equal(v, b'\\') | scan::bytes_below(v, 0x20)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json::JsonTree;

    #[test]
    fn reads_the_usual_application_without_serde_json() {
        let text = br#"{"name": {"first_name": "Jiko", "last_name": "O\"Brien\\\/\n"}, "x": [true, false, null, {}, [[]], "s"], "y": null, "z": "Zo\u00c3"}"#;
        // "\u00c3" above is a literal backslash-u in the raw string: the quick reader
        // hands that text to serde_json.
        assert!(read(text).is_none());
        let text = r#" {"name": {"first_name": "Zoë 🚀", "last_name": "O\"Brien\\\/\n\t\b\f\r"}, "x": [true, false, null, {}, [[]], "s"], "y": null} "#;
        let tree = read(text.as_bytes()).expect("the quick reader decides");
        assert_eq!(
            Some(&tree),
            serde_json::from_str::<Json<'_>>(text).ok().as_ref()
        );
        assert!(matches!(
            tree.member("name").and_then(|n| n.member("first_name")),
            Some(Json::String(Cow::Borrowed("Zoë 🚀")))
        ));
    }

    #[test]
    fn plain_prefix_stops_at_the_first_special_byte() {
        let bytewise = |b: &[u8]| {
            b.iter()
                .position(|&c| c == b'"' || c == b'\\' || c < 0x20)
                .unwrap_or(b.len())
        };
        // Every byte value at every position of texts of 0 to 20 bytes, over a plain
        // background of ASCII and of UTF-8 bytes (0x80 and above).
        for background in [b'a', 0x80, 0xff, 0x21, 0x5b, 0x5d] {
            for len in 0..=20 {
                assert_eq!(plain_prefix(&vec![background; len]), len);
                for at in 0..len {
                    for byte in 0..=255u8 {
                        let mut text = vec![background; len];
                        text[at] = byte;
                        assert_eq!(plain_prefix(&text), bytewise(&text), "{text:?}");
                        // A second special byte later does not move the first.
                        if at + 3 < len {
                            text[at + 3] = b'"';
                            assert_eq!(plain_prefix(&text), bytewise(&text), "{text:?}");
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn gives_up_on_what_takes_care() {
        for text in [
            &b""[..],
            b"   ",
            b"{\"a\": 1}",
            b"[-1]",
            b"{\"a\": \"\\u0041\"}",
            b"{\"a\": \"\\x\"}",
            b"{\"a\": \"\x01\"}",
            b"{\"a\": \"\xff\"}",
            b"{\"a\": tru}",
            b"{\"a\": nulls}",
            b"{\"a\" \"b\"}",
            b"{\"a\": \"b\",}",
            b"[\"a\",]",
            b"{\"a\": \"b\"} {}",
            b"\xef\xbb\xbf{}",
            b"{'a': 'b'}",
            b"{\"a\": \"b\"",
            b"\"abc",
        ] {
            assert!(read(text).is_none(), "{:?}", String::from_utf8_lossy(text));
        }
        let nested = |n: usize| "[".repeat(n) + &"]".repeat(n);
        assert!(read(nested(MAX_DEPTH).as_bytes()).is_some());
        assert!(read(nested(MAX_DEPTH + 1).as_bytes()).is_none());
        let objects = |n: usize| "{\"a\":".repeat(n) + "null" + &"}".repeat(n);
        assert!(read(objects(MAX_DEPTH).as_bytes()).is_some());
        assert!(read(objects(MAX_DEPTH + 1).as_bytes()).is_none());
    }
}
