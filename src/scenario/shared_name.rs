//! A name many probes repeat (their user's, their tenant's, their resource's, the API call
//! and write method a record names): made once, when the plan is expanded or through
//! [`SharedName::interned`], and shared by reference count with every planned probe and
//! record that names it, so a 100,000-probe run does not hold 100,000 copies of each. It
//! reads, compares, serializes and is described in the JSON Schema exactly as a `String`.
//! Texts records repeat (reasons, error codes, denied actions) share one copy the same
//! way through [`SharedName::deduplicated`].

use schemars::{JsonSchema, Schema, SchemaGenerator};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::borrow::{Borrow, Cow};
use std::collections::HashSet;
use std::fmt;
use std::ops::Deref;
use std::sync::{Arc, LazyLock, Mutex, PoisonError};

#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct SharedName(Arc<str>);

/// The names [`SharedName::interned`] has made, kept for the life of the process.
static INTERNED: LazyLock<Mutex<HashSet<SharedName>>> = LazyLock::new(Mutex::default);

/// The texts [`SharedName::deduplicated`] keeps one copy of, also for the life of the
/// process, up to [`MOST_DEDUPLICATED`] of them.
static DEDUPLICATED: LazyLock<Mutex<HashSet<SharedName>>> = LazyLock::new(Mutex::default);

/// How many distinct texts [`SharedName::deduplicated`] keeps: a run's reasons and error
/// codes are a few dozen, and a server that answers something new every time (or a run of
/// texts that are each unique) costs at most this many entries, not one per record.
const MOST_DEDUPLICATED: usize = 4096;

impl SharedName {
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The one shared copy of `name`, made on first use. Only for names from a small fixed
    /// set (API calls, write methods): an interned name is never freed.
    pub fn interned(name: &str) -> SharedName {
        let mut interned = INTERNED.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(known) = interned.get(name) {
            return known.clone();
        }
        let made = SharedName::from(name);
        interned.insert(made.clone());
        made
    }

    /// One shared copy of `text` when it has been seen before, for texts records repeat
    /// whose set is not fixed (a reason, an error code from the server). Once
    /// [`MOST_DEDUPLICATED`] texts are kept, a new one gets its own copy.
    pub fn deduplicated(text: &str) -> SharedName {
        let mut kept = DEDUPLICATED.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(known) = kept.get(text) {
            return known.clone();
        }
        let made = SharedName::from(text);
        if kept.len() < MOST_DEDUPLICATED {
            kept.insert(made.clone());
        }
        made
    }
}

impl Deref for SharedName {
    type Target = str;

    fn deref(&self) -> &str {
        &self.0
    }
}

impl AsRef<str> for SharedName {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl Borrow<str> for SharedName {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl From<&str> for SharedName {
    fn from(name: &str) -> SharedName {
        SharedName(Arc::from(name))
    }
}

impl From<String> for SharedName {
    fn from(name: String) -> SharedName {
        SharedName(Arc::from(name))
    }
}

impl From<&String> for SharedName {
    fn from(name: &String) -> SharedName {
        SharedName::from(name.as_str())
    }
}

impl From<SharedName> for String {
    fn from(name: SharedName) -> String {
        name.0.as_ref().to_owned()
    }
}

impl PartialEq<str> for SharedName {
    fn eq(&self, other: &str) -> bool {
        *self.0 == *other
    }
}

impl PartialEq<&str> for SharedName {
    fn eq(&self, other: &&str) -> bool {
        *self.0 == **other
    }
}

impl PartialEq<String> for SharedName {
    fn eq(&self, other: &String) -> bool {
        *self.0 == **other
    }
}

impl PartialEq<SharedName> for String {
    fn eq(&self, other: &SharedName) -> bool {
        **self == *other.0
    }
}

impl PartialEq<SharedName> for str {
    fn eq(&self, other: &SharedName) -> bool {
        *self == *other.0
    }
}

impl PartialEq<SharedName> for &str {
    fn eq(&self, other: &SharedName) -> bool {
        **self == *other.0
    }
}

impl fmt::Debug for SharedName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&*self.0, f)
    }
}

impl fmt::Display for SharedName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl Serialize for SharedName {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for SharedName {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<SharedName, D::Error> {
        String::deserialize(deserializer).map(SharedName::from)
    }
}

// The evidence schema must not change: a shared name is described as the string it is.
impl JsonSchema for SharedName {
    fn inline_schema() -> bool {
        String::inline_schema()
    }

    fn schema_name() -> Cow<'static, str> {
        String::schema_name()
    }

    fn schema_id() -> Cow<'static, str> {
        String::schema_id()
    }

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        String::json_schema(generator)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_shared_name_serializes_and_reads_back_as_a_string() {
        let name = SharedName::from("acme-alice");
        assert_eq!(serde_json::to_string(&name).unwrap(), r#""acme-alice""#);
        let read: SharedName = serde_json::from_str(r#""acme-alice""#).unwrap();
        assert_eq!(read, name);
        assert_eq!(format!("{name:?}"), format!("{:?}", "acme-alice"));
    }

    #[test]
    fn its_schema_is_the_schema_of_a_string() {
        assert_eq!(
            schemars::schema_for!(SharedName),
            schemars::schema_for!(String)
        );
    }

    #[test]
    fn an_interned_name_is_made_once() {
        let first = SharedName::interned("s3:GetObject");
        let again = SharedName::interned(&String::from("s3:GetObject"));
        assert!(std::ptr::eq(first.as_str(), again.as_str()));
        assert_eq!(SharedName::interned("s3:PutObject"), "s3:PutObject");
    }

    #[test]
    fn a_repeated_text_is_kept_once_and_a_flood_of_new_ones_is_bounded() {
        let first = SharedName::deduplicated("AccessDenied (403): s3:GetObject");
        let again = SharedName::deduplicated(&String::from("AccessDenied (403): s3:GetObject"));
        assert!(std::ptr::eq(first.as_str(), again.as_str()));
        for n in 0..MOST_DEDUPLICATED + 10 {
            let text = format!("unique text {n}");
            assert_eq!(SharedName::deduplicated(&text), text.as_str());
        }
        let kept = DEDUPLICATED.lock().unwrap().len();
        assert!(kept <= MOST_DEDUPLICATED, "{kept} texts kept");
    }

    #[test]
    fn clones_share_one_allocation() {
        let name = SharedName::from("tenant-07");
        let clone = name.clone();
        assert!(std::ptr::eq(name.as_str(), clone.as_str()));
    }
}
