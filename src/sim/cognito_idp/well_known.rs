//! The public documents of each pool: `/{poolId}/.well-known/jwks.json` and
//! `/{poolId}/.well-known/openid-configuration`.
//! See <https://docs.aws.amazon.com/cognito/latest/developerguide/amazon-cognito-user-pools-using-tokens-verifying-a-jwt.html>.

use super::service::CognitoIdpService;
use crate::sim::request::{SimRequest, SimResponse};
use http::StatusCode;
use serde_json::json;

/// Serves a pool's JWKS or OpenID configuration; anything else is 404.
pub fn well_known_document(service: &CognitoIdpService, request: &SimRequest) -> SimResponse {
    let path = request.raw_path.trim_start_matches('/');
    let Some((pool_id, document)) = path.split_once("/.well-known/") else {
        return not_found();
    };
    let Some(pool) = service.pools().find(|p| p.id() == pool_id) else {
        return not_found();
    };
    match document {
        "jwks.json" => SimResponse::json(StatusCode::OK, "application/json", &pool.jwks()),
        "openid-configuration" => {
            let host = request.header("host").unwrap_or("127.0.0.1");
            let jwks_uri = format!("http://{host}/{pool_id}/.well-known/jwks.json");
            SimResponse::json(
                StatusCode::OK,
                "application/json",
                &json!({
                    "issuer": pool.issuer,
                    "jwks_uri": jwks_uri,
                    "id_token_signing_alg_values_supported": ["RS256"],
                    "subject_types_supported": ["public"],
                    "response_types_supported": ["code", "token"],
                    "scopes_supported": ["openid", "email", "phone", "profile"],
                    "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
                }),
            )
        }
        _ => not_found(),
    }
}

fn not_found() -> SimResponse {
    SimResponse::json(
        StatusCode::NOT_FOUND,
        "application/json",
        &json!({ "message": "not found" }),
    )
}
