//! The text of a rendered body (its HTML or its plain text): owned when just rendered, or a
//! slice of a buffer shared with the other bodies read from the same reading-cache file.
//!
//! A rebuild after an edit takes tens of thousands of bodies from the cache and reads only a
//! few of them (the pages rendered again, the documents indexed again): slicing one buffer
//! per cache file spares an allocation, a copy and a free per body, and the UTF-8 check is
//! the vectorised one of `simdutf8`.

use std::fmt;
use std::ops::{Deref, Range};

use bytes::Bytes;

/// UTF-8 text, owned or shared. Compared, printed and serialised as the `str` it holds.
#[derive(Clone)]
pub struct BodyText(Repr);

#[derive(Clone)]
enum Repr {
    Owned(String),
    /// Bytes checked to be UTF-8 when the value was made ([`BodyText::shared`]).
    Shared(Bytes),
}

impl BodyText {
    /// The bytes `range` of `buffer`, when they are in it and are UTF-8.
    pub fn shared(buffer: &Bytes, range: Range<usize>) -> Option<BodyText> {
        let bytes = buffer.get(range.clone())?;
        simdutf8::basic::from_utf8(bytes).ok()?;
        Some(BodyText(Repr::Shared(buffer.slice(range))))
    }

    pub fn as_str(&self) -> &str {
        match &self.0 {
            Repr::Owned(text) => text,
            // Checked when made and never changed since (`Bytes` is immutable): the fallback
            // is never taken.
            Repr::Shared(bytes) => simdutf8::basic::from_utf8(bytes).unwrap_or_default(),
        }
    }

    /// The text as a `String`: moved when owned, copied when shared.
    pub fn into_string(self) -> String {
        match self.0 {
            Repr::Owned(text) => text,
            Repr::Shared(_) => self.as_str().to_string(),
        }
    }
}

impl Default for BodyText {
    fn default() -> Self {
        BodyText(Repr::Owned(String::new()))
    }
}

impl From<String> for BodyText {
    fn from(text: String) -> Self {
        BodyText(Repr::Owned(text))
    }
}

impl From<&str> for BodyText {
    fn from(text: &str) -> Self {
        BodyText(Repr::Owned(text.to_string()))
    }
}

impl Deref for BodyText {
    type Target = str;

    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl PartialEq for BodyText {
    fn eq(&self, other: &Self) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for BodyText {}

impl PartialEq<str> for BodyText {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for BodyText {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl fmt::Debug for BodyText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl fmt::Display for BodyText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl serde::Serialize for BodyText {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> serde::Deserialize<'de> for BodyText {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(BodyText::from)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_shared_text_is_the_slice_it_was_made_from() {
        let buffer = Bytes::from("avant<p>Élève</p>après".as_bytes().to_vec());
        let start = "avant".len();
        let end = start + "<p>Élève</p>".len();
        let text = BodyText::shared(&buffer, start..end).expect("UTF-8 in range");
        assert_eq!(text, "<p>Élève</p>");
        assert_eq!(text, BodyText::from("<p>Élève</p>"));
        assert_eq!(text.clone().into_string(), "<p>Élève</p>");
        assert_eq!(format!("{text}"), "<p>Élève</p>");
    }

    #[test]
    fn bytes_out_of_range_or_not_utf8_make_no_text() {
        let buffer = Bytes::from("Élève".as_bytes().to_vec());
        // Cuts « É » (two bytes) in half.
        assert!(BodyText::shared(&buffer, 1..4).is_none());
        assert!(BodyText::shared(&buffer, 0..99).is_none());
        assert!(BodyText::shared(&buffer, 0..buffer.len()).is_some());
    }
}
