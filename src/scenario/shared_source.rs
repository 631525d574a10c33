//! A probe's [`ExpectationSource`], shared by reference count: every case of a plan and
//! every record of a run names one, nearly always the cross-tenant default, and the enum
//! inline is 64 bytes. Shared, it is one pointer, and the default is one copy for the whole
//! process. It reads, compares, serializes and is described in the JSON Schema exactly as
//! the [`ExpectationSource`] it holds.

use super::ExpectationSource;
use schemars::{JsonSchema, Schema, SchemaGenerator};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::borrow::Cow;
use std::fmt;
use std::ops::Deref;
use std::sync::{Arc, LazyLock};

#[derive(Clone, PartialEq, Eq)]
pub struct SharedSource(Arc<ExpectationSource>);

/// The one copy of the rule most cases have.
static CROSS_TENANT_DEFAULT: LazyLock<SharedSource> =
    LazyLock::new(|| SharedSource(Arc::new(ExpectationSource::CrossTenantDefault)));

impl SharedSource {
    pub fn cross_tenant_default() -> SharedSource {
        CROSS_TENANT_DEFAULT.clone()
    }
}

impl From<ExpectationSource> for SharedSource {
    fn from(source: ExpectationSource) -> SharedSource {
        match source {
            ExpectationSource::CrossTenantDefault => SharedSource::cross_tenant_default(),
            other => SharedSource(Arc::new(other)),
        }
    }
}

impl Deref for SharedSource {
    type Target = ExpectationSource;

    fn deref(&self) -> &ExpectationSource {
        &self.0
    }
}

impl PartialEq<ExpectationSource> for SharedSource {
    fn eq(&self, other: &ExpectationSource) -> bool {
        *self.0 == *other
    }
}

impl fmt::Debug for SharedSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&*self.0, f)
    }
}

impl fmt::Display for SharedSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&*self.0, f)
    }
}

impl Serialize for SharedSource {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for SharedSource {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<SharedSource, D::Error> {
        ExpectationSource::deserialize(deserializer).map(SharedSource::from)
    }
}

// The plan and evidence schemas must not change: a shared source is described as the
// source it is.
impl JsonSchema for SharedSource {
    fn inline_schema() -> bool {
        ExpectationSource::inline_schema()
    }

    fn schema_name() -> Cow<'static, str> {
        ExpectationSource::schema_name()
    }

    fn schema_id() -> Cow<'static, str> {
        ExpectationSource::schema_id()
    }

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        ExpectationSource::json_schema(generator)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_shared_source_serializes_and_reads_back_as_the_source_it_holds() {
        let source = SharedSource::from(ExpectationSource::Cell { index: 3 });
        let plain = serde_json::to_string(&ExpectationSource::Cell { index: 3 }).unwrap();
        assert_eq!(serde_json::to_string(&source).unwrap(), plain);
        let read: SharedSource = serde_json::from_str(&plain).unwrap();
        assert_eq!(read, source);
        assert_eq!(read, ExpectationSource::Cell { index: 3 });
        assert_eq!(format!("{read}"), "cell #3");
    }

    #[test]
    fn every_cross_tenant_default_is_one_copy_and_the_field_is_one_pointer() {
        let read: SharedSource =
            serde_json::from_str(r#"{"kind":"cross_tenant_default"}"#).unwrap();
        let made = SharedSource::from(ExpectationSource::CrossTenantDefault);
        assert!(Arc::ptr_eq(&read.0, &made.0));
        assert_eq!(
            std::mem::size_of::<SharedSource>(),
            std::mem::size_of::<usize>()
        );
    }

    #[test]
    fn its_schema_is_the_sources() {
        let shared = schemars::schema_for!(SharedSource);
        let plain = schemars::schema_for!(ExpectationSource);
        assert_eq!(shared, plain);
    }
}
