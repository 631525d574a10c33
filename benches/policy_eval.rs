//! Micro-benchmark of one policy evaluation: a realistic tenant role (five statements,
//! conditions with policy variables) deciding an allowed and a cross-tenant request.

use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;
use xtenant::sim::iam::{
    EvaluationInput, NamedPolicy, Policy, PolicyUse, PrincipalMatch, RequestContext, evaluate,
};

const TENANT_ROLE: &str = r#"{
  "Version": "2012-10-17",
  "Statement": [
    {"Sid": "TenantObjects", "Effect": "Allow",
     "Action": ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
     "Resource": "arn:aws:s3:::data/${aws:PrincipalTag/tenant}/*"},
    {"Sid": "TenantListing", "Effect": "Allow", "Action": "s3:ListBucket",
     "Resource": "arn:aws:s3:::data",
     "Condition": {"StringLike": {"s3:prefix": ["${aws:PrincipalTag/tenant}/*"]}}},
    {"Sid": "OwnItems", "Effect": "Allow",
     "Action": ["dynamodb:GetItem", "dynamodb:Query", "dynamodb:PutItem"],
     "Resource": "arn:aws:dynamodb:us-east-1:111122223333:table/records",
     "Condition": {"ForAllValues:StringEquals": {"dynamodb:LeadingKeys": ["${cognito-identity.amazonaws.com:sub}"]},
                   "Null": {"dynamodb:LeadingKeys": "false"}}},
    {"Sid": "TenantSecrets", "Effect": "Allow", "Action": "secretsmanager:GetSecretValue",
     "Resource": "*",
     "Condition": {"StringEquals": {"aws:ResourceTag/tenant": "${aws:PrincipalTag/tenant}"}}},
    {"Sid": "StayInTenant", "Effect": "Deny", "Action": "s3:*Object",
     "NotResource": "arn:aws:s3:::data/${aws:PrincipalTag/tenant}/*",
     "Condition": {"Bool": {"aws:SecureTransport": "true"}}}
  ]
}"#;

fn bench(c: &mut Criterion) {
    let policies = [NamedPolicy::new(
        "role/TenantAcme/inline/tenant",
        Policy::parse_for(TENANT_ROLE, PolicyUse::Identity).expect("benchmark policy parses"),
    )];
    let principal = PrincipalMatch {
        aws: vec![
            "arn:aws:sts::111122223333:assumed-role/TenantAcme/alice".into(),
            "arn:aws:iam::111122223333:role/TenantAcme".into(),
            "arn:aws:iam::111122223333:root".into(),
            "111122223333".into(),
        ],
        federated: None,
        service: None,
    };
    let mut context = RequestContext::new();
    context
        .set("aws:PrincipalTag/tenant", "acme")
        .set("cognito-identity.amazonaws.com:sub", "us-east-1:aaaa-1111")
        .set("aws:SecureTransport", "true")
        .set("aws:userid", "AROAEXAMPLE:alice");
    let input = |resource: &'static str| EvaluationInput {
        action: "s3:GetObject",
        resource,
        principal: &principal,
        context: &context,
        identity_policies: &policies,
        resource_policy: None,
        resource_policy_is_trust: false,
        session_policies: None,
        permissions_boundary: None,
        cross_account: false,
    };
    let own = input("arn:aws:s3:::data/acme/invoice.pdf");
    let foreign = input("arn:aws:s3:::data/globex/invoice.pdf");
    assert!(evaluate(&own).is_allowed());
    assert!(!evaluate(&foreign).is_allowed());
    c.bench_function("evaluate/tenant_role/own_prefix_allow", |b| {
        b.iter(|| evaluate(black_box(&own)))
    });
    c.bench_function("evaluate/tenant_role/cross_tenant_deny", |b| {
        b.iter(|| evaluate(black_box(&foreign)))
    });
    c.bench_function("parse/tenant_role", |b| {
        b.iter(|| Policy::parse(black_box(TENANT_ROLE)))
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
