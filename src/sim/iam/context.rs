//! The request context: every condition key a request carries, with its values.

use std::borrow::Cow;
use std::collections::BTreeMap;

/// The map key of a condition key: lowercased, borrowing when it already is.
fn normalized(key: &str) -> Cow<'_, str> {
    if key.bytes().any(|b| b.is_ascii_uppercase()) {
        Cow::Owned(key.to_ascii_lowercase())
    } else {
        Cow::Borrowed(key)
    }
}

/// Condition keys are case-insensitive and every key is a set of strings (a single-valued
/// key holds one). Typed operators (numeric, date, bool, IP, ARN) parse the strings.
/// See <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition.html>.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RequestContext {
    entries: BTreeMap<String, ContextEntry>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct ContextEntry {
    key: String,
    values: Vec<String>,
    multi_valued: bool,
}

impl RequestContext {
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets a single-valued key, replacing any earlier value.
    pub fn set(&mut self, key: impl Into<String>, value: impl Into<String>) -> &mut Self {
        let key = key.into();
        self.entries.insert(
            key.to_ascii_lowercase(),
            ContextEntry {
                key,
                values: vec![value.into()],
                multi_valued: false,
            },
        );
        self
    }

    /// Sets a multivalued key (for example `aws:TagKeys` or `dynamodb:LeadingKeys`). An empty
    /// list is a present key with no values, which `ForAllValues` and `ForAnyValue` treat
    /// as the empty set.
    pub fn set_multi<I, S>(&mut self, key: impl Into<String>, values: I) -> &mut Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let key = key.into();
        self.entries.insert(
            key.to_ascii_lowercase(),
            ContextEntry {
                key,
                values: values.into_iter().map(Into::into).collect(),
                multi_valued: true,
            },
        );
        self
    }

    /// The values of a key, looked up case-insensitively; `None` when the key is absent.
    pub fn get(&self, key: &str) -> Option<&[String]> {
        self.entries
            .get(normalized(key).as_ref())
            .map(|e| e.values.as_slice())
    }

    /// The values of a key and whether it is multivalued, in one lookup.
    pub fn get_with_kind(&self, key: &str) -> Option<(&[String], bool)> {
        self.entries
            .get(normalized(key).as_ref())
            .map(|e| (e.values.as_slice(), e.multi_valued))
    }

    /// Whether the key was set as a multivalued key.
    pub fn is_multi_valued(&self, key: &str) -> bool {
        self.entries
            .get(normalized(key).as_ref())
            .is_some_and(|e| e.multi_valued)
    }

    /// Copies every key of `other` into `self`, `other` winning on conflicts.
    pub fn extend(&mut self, other: &RequestContext) {
        for (k, v) in &other.entries {
            self.entries.insert(k.clone(), v.clone());
        }
    }

    /// Keys as first written, with their values, in a stable order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &[String])> {
        self.entries
            .values()
            .map(|e| (e.key.as_str(), e.values.as_slice()))
    }
}
