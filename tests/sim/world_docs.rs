//! `docs/world.md` builds one complete world section by section; its top-level YAML
//! examples, put together, must load and start, and must cover every section, so the
//! documentation cannot drift from the code.

use crate::support;

const WORLD_DOC: &str = include_str!("../../docs/world.md");

/// Every top-level key of the world file.
const SECTIONS: [&str; 11] = [
    "account_id",
    "region",
    "iam",
    "oidc_providers",
    "user_pools",
    "identity_pools",
    "s3",
    "dynamodb",
    "secrets",
    "staging",
    "accounts",
];

/// The documentation's fenced YAML blocks that start with a top-level world key (the
/// indented excerpts and policy snippets are not world fragments).
fn world_fragments(markdown: &str) -> Vec<String> {
    let mut fragments = Vec::new();
    let mut current: Option<String> = None;
    for line in markdown.lines() {
        match (&mut current, line) {
            (None, "```yaml") => current = Some(String::new()),
            (Some(block), "```") => {
                let starts_a_section = SECTIONS
                    .iter()
                    .any(|key| block.starts_with(&format!("{key}:")));
                if starts_a_section {
                    fragments.push(block.clone());
                }
                current = None;
            }
            (Some(block), line) => {
                block.push_str(line);
                block.push('\n');
            }
            (None, _) => {}
        }
    }
    fragments
}

#[tokio::test]
async fn the_documented_world_covers_every_section_and_starts() {
    let fragments = world_fragments(WORLD_DOC);
    for key in SECTIONS {
        assert!(
            fragments.iter().any(|fragment| fragment
                .lines()
                .any(|line| line.starts_with(&format!("{key}:")))),
            "docs/world.md has no example for `{key}`"
        );
    }
    let world = fragments.concat();
    let staging = support::start(&world).await;
    assert_eq!(staging.user_pools().len(), 1);
    assert_eq!(
        staging.user_pools()[0].client_ids,
        ["5exampleweb00000000000001", "5examplebackend000000001"]
    );
    assert_eq!(
        staging.identity_pool_ids(),
        [
            "us-east-1:2f4a6c8e-0b1d-4e3f-9a5b-7c9d1e3f5a7b",
            "us-east-1:5d6e7f80-9a1b-4c2d-8e3f-405162738495"
        ]
    );
}

/// The documented `Rules` mapping, swapped in for the example's `Token` mapping, is valid
/// too.
#[tokio::test]
async fn the_documented_rules_mapping_is_valid() {
    let world = world_fragments(WORLD_DOC).concat();
    let rules_block = WORLD_DOC
        .split("```yaml\n    RoleMappings:\n")
        .nth(1)
        .and_then(|rest| rest.split("```").next())
        .expect("docs/world.md shows a Rules mapping");
    let token_mapping = "        Type: Token\n        AmbiguousRoleResolution: AuthenticatedRole\n";
    assert!(world.contains(token_mapping));
    let mapping_body = rules_block
        .split_once('\n')
        .map(|(_, body)| body)
        .expect("the mapping's key line");
    let with_rules = world.replace(token_mapping, mapping_body);
    assert!(with_rules.contains("Type: Rules"));
    support::start(&with_rules).await;
}
