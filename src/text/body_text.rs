//! The text of a body (a scenario's Markdown, its HTML or its plain text): owned when just
//! made, a slice of a buffer shared with others (the source file it was cut from), or read
//! only when first used from a store (the reading-cache file it was kept in).
//!
//! A rebuild after an edit takes tens of thousands of bodies from the cache and reads only a
//! few of them (the pages rendered again, the documents indexed again): the others are never
//! read into memory, and a slice of a buffer read anyway spares an allocation, a copy and a
//! free. The UTF-8 check is the vectorised one of `simdutf8`.

use std::fmt;
use std::ops::{Deref, Range};
use std::sync::{Arc, OnceLock};

use bytes::Bytes;

/// Where the texts read when first used come from.
pub trait TextStore: Send + Sync {
    /// The bytes at `range`, or `None` when they cannot be read.
    fn read(&self, range: Range<u64>) -> Option<Vec<u8>>;
    /// Told when the bytes read are not the text stored there (unreadable, another digest,
    /// not UTF-8): the text was given as empty, and what used it must not be trusted.
    fn damaged(&self);
}

/// UTF-8 text, owned or shared. Compared, printed and serialised as the `str` it holds.
#[derive(Clone)]
pub struct BodyText(Repr);

#[derive(Clone)]
enum Repr {
    Owned(String),
    /// Bytes checked to be UTF-8 when the value was made ([`BodyText::shared`]).
    Shared(Bytes),
    /// Read from its store when first used, then kept.
    Stored(Arc<StoredText>),
}

struct StoredText {
    store: Arc<dyn TextStore>,
    range: Range<u64>,
    /// BLAKE3 of the text: bytes read with another digest are not the text.
    digest: [u8; 32],
    /// The text once read: `None` when it could not be.
    read: OnceLock<Option<Bytes>>,
}

impl StoredText {
    fn text(&self) -> Option<&str> {
        let bytes = self.read.get_or_init(|| {
            let bytes = self.store.read(self.range.clone()).filter(|bytes| {
                *blake3::hash(bytes).as_bytes() == self.digest
                    && simdutf8::basic::from_utf8(bytes).is_ok()
            });
            if bytes.is_none() {
                self.store.damaged();
            }
            bytes.map(Bytes::from)
        });
        simdutf8::basic::from_utf8(bytes.as_ref()?).ok()
    }
}

impl BodyText {
    /// The bytes `range` of `buffer`, when they are in it and are UTF-8.
    pub fn shared(buffer: &Bytes, range: Range<usize>) -> Option<BodyText> {
        let bytes = buffer.get(range.clone())?;
        simdutf8::basic::from_utf8(bytes).ok()?;
        Some(BodyText(Repr::Shared(buffer.slice(range))))
    }

    /// The text at `range` of `store`, whose BLAKE3 is `digest`, read when first used.
    pub fn stored(store: Arc<dyn TextStore>, range: Range<u64>, digest: [u8; 32]) -> BodyText {
        BodyText(Repr::Stored(Arc::new(StoredText {
            store,
            range,
            digest,
            read: OnceLock::new(),
        })))
    }

    /// The text; `None` for a stored text that could not be read (its store was told).
    pub fn try_str(&self) -> Option<&str> {
        match &self.0 {
            Repr::Owned(text) => Some(text),
            // Checked when made and never changed since (`Bytes` is immutable).
            Repr::Shared(bytes) => simdutf8::basic::from_utf8(bytes).ok(),
            Repr::Stored(stored) => stored.text(),
        }
    }

    /// The text, empty for a stored text that could not be read: its store was told, and the
    /// build that read it is not published (see `site::reading_cache`).
    pub fn as_str(&self) -> &str {
        self.try_str().unwrap_or_default()
    }

    /// The text as a `String`: moved when owned, copied otherwise.
    pub fn into_string(self) -> String {
        match self.0 {
            Repr::Owned(text) => text,
            _ => self.as_str().to_string(),
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

    /// A store of one text that counts its reads and the damage it was told of.
    struct Counting {
        bytes: Vec<u8>,
        reads: std::sync::atomic::AtomicUsize,
        damaged: std::sync::atomic::AtomicBool,
    }

    impl TextStore for Counting {
        fn read(&self, range: Range<u64>) -> Option<Vec<u8>> {
            self.reads.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            let range = usize::try_from(range.start).ok()?..usize::try_from(range.end).ok()?;
            self.bytes.get(range).map(<[u8]>::to_vec)
        }

        fn damaged(&self) {
            self.damaged
                .store(true, std::sync::atomic::Ordering::SeqCst);
        }
    }

    fn counting(text: &[u8]) -> Arc<Counting> {
        Arc::new(Counting {
            bytes: text.to_vec(),
            reads: Default::default(),
            damaged: Default::default(),
        })
    }

    #[test]
    fn a_stored_text_is_read_once_when_first_used() {
        let store = counting("<p>Élève</p>".as_bytes());
        let digest = *blake3::hash("<p>Élève</p>".as_bytes()).as_bytes();
        let text = BodyText::stored(store.clone(), 0..store.bytes.len() as u64, digest);
        let copy = text.clone();
        assert_eq!(store.reads.load(std::sync::atomic::Ordering::SeqCst), 0);
        assert_eq!(text, "<p>Élève</p>");
        assert_eq!(copy.try_str(), Some("<p>Élève</p>"));
        assert_eq!(store.reads.load(std::sync::atomic::Ordering::SeqCst), 1);
        assert!(!store.damaged.load(std::sync::atomic::Ordering::SeqCst));
    }

    #[test]
    fn a_stored_text_read_wrong_is_empty_and_its_store_told() {
        let digest = *blake3::hash(b"attendu").as_bytes();
        for (bytes, range) in [
            (&b"autre chose"[..], 0..7),
            (&b"attendu"[..], 0..99),
            (&b"\xff\xfe"[..], 0..2),
        ] {
            let store = counting(bytes);
            let text = BodyText::stored(store.clone(), range, digest);
            assert_eq!(text.try_str(), None);
            assert_eq!(text.as_str(), "");
            assert!(store.damaged.load(std::sync::atomic::Ordering::SeqCst));
        }
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
