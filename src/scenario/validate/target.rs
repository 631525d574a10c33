//! Validation of `target`: local staging (ids from the world file) or an AWS account.
use super::validator::Validator;
use crate::scenario::aws_names::{self};
use crate::scenario::diagnostic::Diagnostic;
use crate::scenario::diagnostic_code::DiagnosticCode;
use crate::scenario::key_path::KeyPath;
use crate::scenario::raw::{RawIdentityFlow, RawSignInFlow, RawTarget};
use crate::scenario::secret_source::SecretSource;
use crate::scenario::target::{
    IdentityFlow, IdentityPoolTarget, SignInFlow, Target, UserPoolTarget,
};
use crate::scenario::world_target::{self, WorldSelectors, WorldTargetKey};

impl Validator<'_> {
    /// `foreign_pool` (`attacks.foreign_pool`) is never picked as the application's pool.
    pub(super) fn target(
        &mut self,
        raw: &RawTarget,
        path: &KeyPath,
        foreign_pool: Option<&str>,
    ) -> Option<Target> {
        let sign_in = match raw.user_pool.as_ref().and_then(|p| p.flow) {
            None | Some(RawSignInFlow::Password) => SignInFlow::UserPassword,
            Some(RawSignInFlow::Srp) => SignInFlow::UserSrp,
            Some(RawSignInFlow::Admin) => SignInFlow::AdminUserPassword,
            Some(RawSignInFlow::Custom) => SignInFlow::Custom,
        };
        let identity_flow = match raw.identity_pool.as_ref().and_then(|p| p.flow) {
            None | Some(RawIdentityFlow::Enhanced) => IdentityFlow::Enhanced,
            Some(RawIdentityFlow::Basic) => IdentityFlow::Basic,
        };
        match &raw.local {
            Some(local) => {
                let flows = (sign_in, identity_flow);
                self.local_target(raw, local, path, flows, foreign_pool)
            }
            None => self.aws_target(raw, path, sign_in, identity_flow),
        }
    }

    pub(super) fn local_target(
        &mut self,
        raw: &RawTarget,
        local: &str,
        path: &KeyPath,
        (sign_in, identity_flow): (SignInFlow, IdentityFlow),
        foreign_pool: Option<&str>,
    ) -> Option<Target> {
        let before = self.diagnostics.len();
        if raw.region.is_some() {
            self.conflicts_with_local(
                path.key("region"),
                "remove `region`: local staging runs in the world file's region",
            );
        }
        let user_pool = raw.user_pool.as_ref();
        if user_pool.is_some_and(|p| p.client_secret.is_some()) {
            self.conflicts_with_local(
                path.key("user_pool").key("client_secret"),
                "remove `client_secret`: the world file's app client carries its secret",
            );
        }
        let world_path = self.base_dir.join(local);
        let selectors = WorldSelectors {
            user_pool: user_pool.and_then(|p| p.id.as_deref()),
            client: user_pool.and_then(|p| p.client_id.as_deref()),
            identity_pool: raw.identity_pool.as_ref().and_then(|p| p.id.as_deref()),
            foreign_identity_pool: foreign_pool,
        };
        match world_target::resolve(&world_path, selectors) {
            Ok(world) => {
                if self.diagnostics.len() > before {
                    return None;
                }
                Some(Target {
                    region: world.region,
                    user_pool: UserPoolTarget {
                        id: world.user_pool_id,
                        client_id: world.client_id,
                        client_secret: world.client_secret.map(SecretSource::Value),
                        sign_in,
                    },
                    identity_pool: IdentityPoolTarget {
                        id: world.identity_pool_id,
                        flow: identity_flow,
                    },
                    local_world: Some(world_path),
                })
            }
            Err(problem) => {
                let code = match problem.key {
                    WorldTargetKey::Unloadable => DiagnosticCode::WorldUnloadable,
                    _ => DiagnosticCode::WorldTarget,
                };
                let at = match problem.key {
                    WorldTargetKey::Local | WorldTargetKey::Unloadable => path.key("local"),
                    WorldTargetKey::UserPool => path.key("user_pool").key("id"),
                    WorldTargetKey::Client => path.key("user_pool").key("client_id"),
                    WorldTargetKey::IdentityPool => path.key("identity_pool").key("id"),
                };
                let span = self.value_span(&at);
                self.report(
                    Diagnostic::new(code, at, span, problem.message)
                        .with_label("from this world file setting")
                        .with_help(problem.help),
                );
                None
            }
        }
    }

    /// A key at `at` that the world file of `local` already gives.
    fn conflicts_with_local(&mut self, at: KeyPath, help: &str) {
        let message = format!(
            "`{}` cannot be combined with `local`",
            at.last_key().unwrap_or_default()
        );
        self.conflicting_key(at, message, "comes from the world file", help);
    }

    pub(super) fn aws_target(
        &mut self,
        raw: &RawTarget,
        path: &KeyPath,
        sign_in: SignInFlow,
        identity_flow: IdentityFlow,
    ) -> Option<Target> {
        let before = self.diagnostics.len();
        let region = self.required(
            raw.region.as_ref(),
            path,
            "region",
            "eu-west-1 (or `local: world.yaml`)",
        );
        // A malformed region is reported once; pool ids are then checked for their own
        // shape only, not against it.
        let region_ok = self.well_formed(
            region,
            &path.key("region"),
            DiagnosticCode::MalformedRegion,
            "not a region code",
            aws_names::check_region,
        );
        let region = region.cloned().unwrap_or_default();
        let expected_region = region_ok.then_some(region.as_str());
        let pool_path = path.key("user_pool");
        let mut user_pool = None;
        match &raw.user_pool {
            None => {
                self.required(None, path, "user_pool", "{id: ..., client_id: ...}");
            }
            Some(pool) => {
                let id = self.required(pool.id.as_ref(), &pool_path, "id", "eu-west-1_AbC123def");
                self.well_formed(
                    id,
                    &pool_path.key("id"),
                    DiagnosticCode::MalformedPoolId,
                    "not a user pool id",
                    |id| aws_names::check_user_pool_id(id, expected_region),
                );
                let client = self.required(
                    pool.client_id.as_ref(),
                    &pool_path,
                    "client_id",
                    "1example23456789",
                );
                self.well_formed(
                    client,
                    &pool_path.key("client_id"),
                    DiagnosticCode::MalformedPoolId,
                    "not an app client id",
                    aws_names::check_client_id,
                );
                let secret = pool
                    .client_secret
                    .as_ref()
                    .and_then(|s| self.secret_source(s, &pool_path.key("client_secret")));
                if let (Some(id), Some(client)) = (id, client) {
                    user_pool = Some(UserPoolTarget {
                        id: id.clone(),
                        client_id: client.clone(),
                        client_secret: secret,
                        sign_in,
                    });
                }
            }
        }
        let identity_path = path.key("identity_pool");
        let mut identity_pool = None;
        match &raw.identity_pool {
            None => {
                self.required(None, path, "identity_pool", "{id: ...}");
            }
            Some(pool) => {
                let id = self.required(
                    pool.id.as_ref(),
                    &identity_path,
                    "id",
                    "eu-west-1:0f1e2d3c-...",
                );
                self.well_formed(
                    id,
                    &identity_path.key("id"),
                    DiagnosticCode::MalformedPoolId,
                    "not an identity pool id",
                    |id| aws_names::check_identity_pool_id(id, expected_region),
                );
                identity_pool = id.map(|id| IdentityPoolTarget {
                    id: id.clone(),
                    flow: identity_flow,
                });
            }
        }
        if self.diagnostics.len() > before {
            return None;
        }
        Some(Target {
            region,
            user_pool: user_pool?,
            identity_pool: identity_pool?,
            local_world: None,
        })
    }
}
