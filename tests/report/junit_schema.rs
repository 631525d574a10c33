//! The JUnit report against the two schemas CI tools validate it with, checked rule by
//! rule (the XSD files themselves are not ours to ship):
//!
//! - Ant's `JUnit.xsd` (windyroad/JUnit-Schema, the Ant JUnit task's format): `testsuite`
//!   has `name`, `timestamp` (`YYYY-MM-DDTHH:MM:SS`, no zone), `hostname`, `tests`,
//!   `failures`, `errors`, `time` (decimal), and in the aggregated `testsuites` form also
//!   `package` and `id` (an int); its children are exactly `properties`, then `testcase`*,
//!   then `system-out`, then `system-err`; `property` has `name` and `value`; `testcase`
//!   has `name`, `classname` and `time` and at most one of `skipped`, `error`, `failure`,
//!   the last two with a `type`.
//! - Jenkins' `junit-10.xsd` (xunit plugin): the attributes each element may carry, and a
//!   `time` matching its SUREFIRE_TIME pattern.
//!
//! Two additions are deliberate and the only ones allowed: `file` and `line` on a testcase
//! (read by GitHub's JUnit annotators, and asked for by the same users). The root
//! `testsuites` carries no attribute, as Ant's schema declares none there.

use crate::fake_backend::fake_for;
use crate::scheduler::run;
use crate::synthetic::ScenarioBuilder;
use quick_xml::Reader;
use quick_xml::events::Event;
use xtenant::probe::Verdict;
use xtenant::report::junit_xml;
use xtenant::run::RunOptions;
use xtenant::scenario::ProbeName;
use xtenant::scenario::waiver::parse_date;

/// One XML element: name, attributes in order, child elements, and its text.
#[derive(Debug, Default)]
struct Element {
    name: String,
    attributes: Vec<(String, String)>,
    children: Vec<Element>,
    text: String,
}

impl Element {
    fn attribute(&self, name: &str) -> Option<&str> {
        self.attributes
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    }
}

fn parse(xml: &str) -> Element {
    let mut reader = Reader::from_str(xml);
    let mut stack: Vec<Element> = vec![Element::default()];
    loop {
        match reader.read_event().expect("well-formed XML") {
            Event::Start(start) => stack.push(element_of(&start)),
            Event::Empty(start) => {
                let element = element_of(&start);
                stack.last_mut().unwrap().children.push(element);
            }
            Event::End(_) => {
                let done = stack.pop().unwrap();
                stack.last_mut().unwrap().children.push(done);
            }
            Event::Text(text) => {
                let text = text.decode().unwrap();
                let text = quick_xml::escape::unescape(&text).unwrap();
                stack.last_mut().unwrap().text.push_str(&text);
            }
            Event::Eof => break,
            _ => {}
        }
    }
    let mut document = stack.pop().unwrap();
    assert_eq!(document.children.len(), 1, "one root element");
    document.children.pop().unwrap()
}

fn element_of(start: &quick_xml::events::BytesStart<'_>) -> Element {
    Element {
        name: String::from_utf8(start.name().as_ref().to_vec()).unwrap(),
        attributes: start
            .attributes()
            .map(|attribute| {
                let attribute = attribute.unwrap();
                (
                    String::from_utf8(attribute.key.as_ref().to_vec()).unwrap(),
                    attribute
                        .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                        .unwrap()
                        .into_owned(),
                )
            })
            .collect(),
        ..Element::default()
    }
}

fn is_int(text: &str) -> bool {
    !text.is_empty() && text.chars().all(|c| c.is_ascii_digit())
}

/// `xs:decimal`, which also satisfies Jenkins' SUREFIRE_TIME for the values written here.
fn is_decimal(text: &str) -> bool {
    let (whole, fraction) = text.split_once('.').unwrap_or((text, "0"));
    is_int(whole) && fraction.chars().all(|c| c.is_ascii_digit())
}

/// Ant's ISO8601_DATETIME_PATTERN: `[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}`.
fn is_ant_timestamp(text: &str) -> bool {
    let shape = text
        .chars()
        .map(|c| if c.is_ascii_digit() { 'd' } else { c })
        .collect::<String>();
    shape == "dddd-dd-ddTdd:dd:dd"
}

fn check_attributes(element: &Element, allowed: &[&str], required: &[&str]) {
    for (name, _) in &element.attributes {
        assert!(
            allowed.contains(&name.as_str()),
            "`{name}` is not an attribute of <{}> in either schema",
            element.name
        );
    }
    for name in required {
        assert!(
            element.attribute(name).is_some_and(|v| !v.is_empty()),
            "<{}> lacks required `{name}`: {:?}",
            element.name,
            element.attributes
        );
    }
}

/// Every rule of both schemas (and the three deliberate additions) on `xml`.
fn assert_valid_for_ant_and_jenkins(xml: &str) {
    let root = parse(xml);
    assert_eq!(root.name, "testsuites");
    check_attributes(&root, &[], &[]);
    assert!(!root.children.is_empty());
    for (index, suite) in root.children.iter().enumerate() {
        assert_eq!(suite.name, "testsuite");
        // Jenkins' list, which holds Ant's.
        check_attributes(
            suite,
            &[
                "name",
                "tests",
                "failures",
                "errors",
                "group",
                "time",
                "skipped",
                "timestamp",
                "hostname",
                "id",
                "package",
                "file",
                "log",
                "url",
            ],
            &[
                "name",
                "timestamp",
                "hostname",
                "tests",
                "failures",
                "errors",
                "time",
                "package",
                "id",
            ],
        );
        for count in ["tests", "failures", "errors", "skipped", "id"] {
            assert!(is_int(suite.attribute(count).unwrap_or("0")), "{count}");
        }
        assert_eq!(suite.attribute("id"), Some(index.to_string().as_str()));
        assert!(is_decimal(suite.attribute("time").unwrap()));
        assert!(
            is_ant_timestamp(suite.attribute("timestamp").unwrap()),
            "{:?}",
            suite.attribute("timestamp")
        );
        // Ant's sequence: properties, testcase*, system-out, system-err.
        let names: Vec<&str> = suite.children.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names.first(), Some(&"properties"), "{names:?}");
        assert_eq!(&names[names.len() - 2..], ["system-out", "system-err"]);
        assert!(
            names[1..names.len() - 2].iter().all(|n| *n == "testcase"),
            "{names:?}"
        );
        for property in &suite.children[0].children {
            assert_eq!(property.name, "property");
            check_attributes(property, &["name", "value"], &["name"]);
            assert!(property.attribute("value").is_some());
        }
        for case in &suite.children[1..suite.children.len() - 2] {
            check_attributes(
                case,
                &["name", "classname", "time", "group", "file", "line"],
                &["name", "classname", "time"],
            );
            assert!(is_decimal(case.attribute("time").unwrap()));
            assert!(case.children.len() <= 1, "Ant allows one status element");
            for status in &case.children {
                match status.name.as_str() {
                    "failure" | "error" => {
                        check_attributes(status, &["type", "message"], &["type"]);
                        // GitLab shows only the element text: the full reason is there.
                        let message = status.attribute("message").unwrap_or_default();
                        assert!(
                            status.text.starts_with(message) && !message.is_empty(),
                            "{status:?}"
                        );
                    }
                    "skipped" => check_attributes(status, &["type", "message"], &[]),
                    other => panic!("<{other}> is not a testcase child in Ant's schema"),
                }
            }
        }
    }
}

#[tokio::test(start_paused = true)]
async fn the_junit_report_follows_the_ant_and_jenkins_schemas_for_every_kind_of_case() {
    let input = ScenarioBuilder::new("pacific")
        .user("alice", "acme")
        .user("bob", "globex")
        .waiver("bob::acme/docs::read", "SEC-9", "2027-03-01")
        .build();
    let mut backend = fake_for(&input);
    for (name, verdict) in [
        ("alice::globex/docs::read", Verdict::Allowed),
        ("bob::globex/docs::write", Verdict::Denied),
        ("bob::acme/docs::write", Verdict::Inconclusive),
        ("bob::acme/docs::read", Verdict::Allowed),
    ] {
        backend.verdicts.insert(ProbeName(name.into()), verdict);
    }
    backend.roles.insert("bob".into(), "acme".into());
    let options = RunOptions {
        waiver_day: parse_date("2026-12-02"),
        ..RunOptions::default()
    };
    let results = run(&input, backend, &options).await;
    let xml = junit_xml(&results).unwrap();
    // Every kind of case is in this report: held, breach, unexpected deny, inconclusive,
    // wrong role and waived.
    for needle in [
        "type=\"breach\"",
        "type=\"unexpected-deny\"",
        "type=\"inconclusive\"",
        "type=\"wrong-role\"",
        "<skipped",
    ] {
        assert!(xml.contains(needle), "{needle} missing: {xml}");
    }
    assert_valid_for_ant_and_jenkins(&xml);
}

#[test]
fn the_checker_rejects_what_the_schemas_reject() {
    let valid = r#"<testsuites><testsuite name="a" tests="1" failures="0" errors="0" time="0.1" timestamp="2026-12-02T03:50:00" hostname="h" id="0" package="p"><properties><property name="k" value="v"/></properties><testcase name="c" classname="a" time="0.1"/><system-out/><system-err/></testsuite></testsuites>"#;
    assert_valid_for_ant_and_jenkins(valid);
    let broken = [
        // A zone in the timestamp (Ant's pattern has none).
        valid.replace("03:50:00\"", "03:50:00.000+00:00\""),
        // Properties after the cases.
        valid.replace(
            "<properties><property name=\"k\" value=\"v\"/></properties><testcase name=\"c\" classname=\"a\" time=\"0.1\"/>",
            "<testcase name=\"c\" classname=\"a\" time=\"0.1\"/><properties><property name=\"k\" value=\"v\"/></properties>",
        ),
        // A case without time.
        valid.replace(" classname=\"a\" time=\"0.1\"", " classname=\"a\""),
        // Properties on a case.
        valid.replace(
            "time=\"0.1\"/>",
            "time=\"0.1\"><properties/></testcase>",
        ),
        // No system-err.
        valid.replace("<system-err/>", ""),
        // A failure without its text.
        valid.replace(
            "time=\"0.1\"/>",
            "time=\"0.1\"><failure type=\"breach\" message=\"m\"/></testcase>",
        ),
    ];
    for xml in broken {
        let result = std::panic::catch_unwind(|| assert_valid_for_ant_and_jenkins(&xml));
        assert!(result.is_err(), "accepted: {xml}");
    }
}
