use latipay_runtime::{Credentials, LatipaySigned};

// A raw identifier is sent without its `r#`: `r#type` is the wire field `type`.
#[derive(LatipaySigned)]
#[latipay(endpoint = "label_set", spec = "../../../../tests/ui/pass/raw-identifier.yaml", builder)]
struct Label {
    r#type: String,
    r#match: Option<String>,
}

fn main() {
    let label = Label::builder().r#type("gift").r#match("exact").build();
    let credentials = Credentials::new("U000000001", "W000000001", "0123456789abcdef");
    let message = label.canonical_message(&credentials).unwrap();
    assert!(message.contains("type=gift"), "{message}");
    assert!(message.contains("match=exact"), "{message}");
    assert!(!message.contains("r#"), "{message}");
}
