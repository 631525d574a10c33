//! `xtenant run` starts local staging for a `local:` target over TLS and trusts only that
//! start's authority, so a bucket policy denying `aws:SecureTransport` false denies nothing,
//! as on AWS's HTTPS endpoints; the same world served over plain HTTP is denied.

use crate::support::{root, run_scenario};
use xtenant::exit_code;

#[test]
fn a_deny_insecure_transport_bucket_policy_holds_the_shipped_matrix_over_tls() {
    let ran = run_scenario(&root().join("tests/fixtures/secure-transport/matrix.yaml"));
    assert_eq!(
        ran.exit_code,
        exit_code::SUCCESS,
        "{:?}",
        crate::support::not_held(&ran.results)
    );
    let endpoint = ran
        .results
        .run
        .as_ref()
        .and_then(|run| run.target.endpoint_url.clone())
        .unwrap_or_default();
    assert!(endpoint.starts_with("https://127.0.0.1:"), "{endpoint}");
}
