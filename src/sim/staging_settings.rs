//! The world's `staging:` section: settings of local staging itself, not of any AWS
//! resource, so that expiry and clock skew can be tested without special tooling.

use super::world::WorldError;
use serde::Deserialize;

/// The shortest and longest credentials lifetime a world may set: long enough for one
/// request, no longer than STS's longest role session (12 hours).
/// See <https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRoleWithWebIdentity.html>.
const LIFETIME_RANGE_SECONDS: std::ops::RangeInclusive<u32> = 60..=43_200;

/// What AWS hands out when nothing asks for another duration: one hour, both for
/// AssumeRoleWithWebIdentity without DurationSeconds and for GetCredentialsForIdentity.
/// See <https://docs.aws.amazon.com/cognitoidentity/latest/APIReference/API_GetCredentialsForIdentity.html>.
pub const DEFAULT_CREDENTIALS_LIFETIME_SECONDS: u32 = 3600;

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StagingSettings {
    /// How long the temporary credentials local staging hands out live when the request
    /// names no duration (GetCredentialsForIdentity, AssumeRoleWithWebIdentity without
    /// `DurationSeconds`). Local staging only: AWS's is one hour.
    #[serde(default)]
    pub credentials_lifetime_seconds: Option<u32>,
    /// Local staging's clock runs this many seconds ahead (negative: behind) of the host's.
    #[serde(default)]
    pub clock_offset_seconds: Option<i64>,
}

impl StagingSettings {
    pub fn credentials_lifetime_seconds(&self) -> u32 {
        self.credentials_lifetime_seconds
            .unwrap_or(DEFAULT_CREDENTIALS_LIFETIME_SECONDS)
    }

    pub fn validate(&self) -> Vec<WorldError> {
        let mut errors = Vec::new();
        if let Some(lifetime) = self.credentials_lifetime_seconds
            && !LIFETIME_RANGE_SECONDS.contains(&lifetime)
        {
            errors.push(WorldError::new(
                "staging.credentials_lifetime_seconds",
                format!(
                    "must be between {} and {} seconds",
                    LIFETIME_RANGE_SECONDS.start(),
                    LIFETIME_RANGE_SECONDS.end()
                ),
            ));
        }
        errors
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_lifetime_defaults_to_an_hour_and_must_stay_in_range() {
        assert_eq!(
            StagingSettings::default().credentials_lifetime_seconds(),
            3600
        );
        let short = StagingSettings {
            credentials_lifetime_seconds: Some(120),
            clock_offset_seconds: None,
        };
        assert!(short.validate().is_empty());
        assert_eq!(short.credentials_lifetime_seconds(), 120);
        for wrong in [0, 59, 43_201] {
            let settings = StagingSettings {
                credentials_lifetime_seconds: Some(wrong),
                clock_offset_seconds: None,
            };
            assert_eq!(settings.validate().len(), 1, "{wrong}");
        }
    }
}
