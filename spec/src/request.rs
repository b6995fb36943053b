//! The description of one HTTP request to Latipay, built field by field from the same canonical
//! texts that were signed. The client executes it; tests and the CLI print it.

use percent_encoding::{AsciiSet, CONTROLS, utf8_percent_encode};

use crate::model::{Location, Method};
use crate::sign::Signature;

/// Bytes escaped in a path segment: everything but RFC 3986 unreserved characters.
const SEGMENT: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'/')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'`')
    .add(b'{')
    .add(b'}')
    .add(b'[')
    .add(b']')
    .add(b'\\')
    .add(b'^')
    .add(b'|')
    .add(b'&')
    .add(b'=')
    .add(b'+')
    .add(b';')
    .add(b'@')
    .add(b':')
    .add(b'$')
    .add(b',')
    .add(b'\'')
    .add(b'!')
    .add(b'(')
    .add(b')')
    .add(b'*');

/// Bytes reserved for a JSON body when its first member is written.
const BODY_CAPACITY: usize = 512;

/// How a value is written in the JSON body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JsonKind {
    /// A JSON string.
    String,
    /// A JSON number (the text is already a valid integer).
    Number,
    /// `true` or `false`.
    Bool,
}

/// One HTTP request, ready to send: what the client executes and what `latipay sign` prints.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpRequest {
    /// HTTP method.
    pub method: Method,
    /// Path with parameters substituted and percent-encoded (they were signed raw).
    pub path: String,
    /// Query string without the `?`; empty when there is none.
    pub query: String,
    /// JSON body, for methods that have one.
    pub body: Option<String>,
}

impl HttpRequest {
    /// Path and query, as in a request line.
    pub fn path_and_query(&self) -> String {
        if self.query.is_empty() {
            self.path.clone()
        } else {
            format!("{}?{}", self.path, self.query)
        }
    }

    /// The full URL under `base` (e.g. `https://api.latipay.net`), written in one allocation.
    pub fn url(&self, base: &str) -> String {
        // A path that is a whole URL (see `RequestWriter::field`) goes there, not to `base`.
        let absolute = self.path.starts_with("https://") || self.path.starts_with("http://");
        let base = if absolute {
            ""
        } else {
            base.trim_end_matches('/')
        };
        let mut url = String::with_capacity(base.len() + self.path.len() + 1 + self.query.len());
        url.push_str(base);
        url.push_str(&self.path);
        if !self.query.is_empty() {
            url.push('?');
            url.push_str(&self.query);
        }
        url
    }
}

/// Builds an [`HttpRequest`] from fields given in any order; empty values are left out.
pub struct RequestWriter<'a> {
    method: Method,
    template: &'a str,
    signature_in: Location,
    params: Vec<(&'a str, String)>,
    query: String,
    /// The JSON body as it is written: bytes, because serde_json writes into an `io::Write`.
    body: Vec<u8>,
}

impl<'a> RequestWriter<'a> {
    /// A request to `template` (with `{name}` path parameters), signature placed in `signature_in`.
    pub fn new(method: Method, template: &'a str, signature_in: Location) -> Self {
        RequestWriter {
            method,
            template,
            signature_in,
            params: Vec::new(),
            query: String::new(),
            body: Vec::new(),
        }
    }

    /// Adds one field's canonical text where it goes.
    pub fn field(&mut self, name: &'a str, location: Location, kind: JsonKind, value: &str) {
        if value.is_empty() {
            return;
        }
        match location {
            // A template that starts with a parameter starts with an absolute URL (the
            // `gatewaydata` step goes to the `host_url` Latipay answered with): written as is.
            Location::Path if self.template.starts_with(&format!("{{{name}}}")) => self
                .params
                .push((name, value.trim_end_matches('/').to_owned())),
            Location::Path => self
                .params
                .push((name, utf8_percent_encode(value, SEGMENT).to_string())),
            Location::Query => self.query_pair(name, value),
            Location::Body => {
                if self.body.is_empty() {
                    // Room for a typical request's members, so the body grows once or never.
                    self.body.reserve(BODY_CAPACITY);
                    self.body.push(b'{');
                } else {
                    self.body.push(b',');
                }
                push_json_string(&mut self.body, name);
                self.body.push(b':');
                match kind {
                    JsonKind::String => push_json_string(&mut self.body, value),
                    JsonKind::Number | JsonKind::Bool => {
                        self.body.extend_from_slice(value.as_bytes())
                    }
                }
            }
        }
    }

    fn query_pair(&mut self, name: &str, value: &str) {
        if !self.query.is_empty() {
            self.query.push('&');
        }
        push_form(&mut self.query, name);
        self.query.push('=');
        push_form(&mut self.query, value);
    }

    /// The request, with `signature` where the endpoint wants it (none for an unsigned one).
    pub fn finish(mut self, signature: Option<&Signature>) -> HttpRequest {
        if let Some(signature) = signature {
            let mut hex = [0; 64];
            let hex = signature.write_hex(&mut hex);
            match self.signature_in {
                Location::Body => self.field("signature", Location::Body, JsonKind::String, hex),
                _ => self.query_pair("signature", hex),
            }
        }
        let mut path = String::with_capacity(self.template.len() + 16);
        let mut rest = self.template;
        while let Some(open) = rest.find('{') {
            path.push_str(&rest[..open]);
            let after = &rest[open + 1..];
            let close = after.find('}').unwrap_or(after.len());
            let name = &after[..close];
            if let Some((_, v)) = self.params.iter().find(|(n, _)| *n == name) {
                path.push_str(v);
            }
            rest = after.get(close + 1..).unwrap_or("");
        }
        path.push_str(rest);
        let body = match self.method {
            Method::Get | Method::Delete => None,
            Method::Post | Method::Put => Some(if self.body.is_empty() {
                "{}".to_owned()
            } else {
                self.body.push(b'}');
                String::from_utf8(self.body).expect("written from `str`s and ASCII")
            }),
        };
        HttpRequest {
            method: self.method,
            path,
            query: self.query,
            body,
        }
    }
}

/// Writes `s` as a JSON string into `out`, escaped by serde_json.
fn push_json_string(out: &mut Vec<u8>, s: &str) {
    serde_json::to_writer(out, s).expect("a `str` always serializes into a `Vec`");
}

/// `application/x-www-form-urlencoded` encoding of one name or value, appended to `out`:
/// `form_urlencoded`'s pieces, pushed as they come.
fn push_form(out: &mut String, s: &str) {
    out.reserve(s.len());
    out.extend(form_urlencoded::byte_serialize(s.as_bytes()));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_params_are_encoded_and_signature_goes_in_the_query() {
        let mut w = RequestWriter::new(
            Method::Get,
            "/v2/transaction/{merchant_reference}",
            Location::Query,
        );
        w.field(
            "merchant_reference",
            Location::Path,
            JsonKind::String,
            "a/b c?",
        );
        w.field("user_id", Location::Query, JsonKind::String, "U 1&2");
        w.field("is_block", Location::Query, JsonKind::String, "");
        let r = w.finish(Some(&Signature([0xab; 32])));
        assert_eq!(r.path, "/v2/transaction/a%2Fb%20c%3F");
        assert_eq!(
            r.query,
            format!("user_id=U+1%262&signature={}", "ab".repeat(32))
        );
        assert_eq!(r.body, None);
    }

    #[test]
    fn a_url_parameter_first_is_the_address_and_an_unsigned_request_has_no_signature() {
        let mut w = RequestWriter::new(Method::Get, "{host_url}/{nonce}", Location::Query);
        w.field(
            "host_url",
            Location::Path,
            JsonKind::String,
            "https://api.latipay.net/v2/merchanthosted/gatewaydata/",
        );
        w.field("nonce", Location::Path, JsonKind::String, "b3 9/5");
        let r = w.finish(None);
        assert_eq!(
            r.path,
            "https://api.latipay.net/v2/merchanthosted/gatewaydata/b3%209%2F5"
        );
        assert_eq!(r.query, "");
        assert_eq!(r.body, None);
        assert_eq!(r.url("https://api.latipay.net"), r.path);
        let post = RequestWriter::new(Method::Post, "/v2/x", Location::Body).finish(None);
        assert_eq!(post.body.as_deref(), Some("{}"));
    }

    #[test]
    fn body_strings_are_escaped_as_json() {
        let mut w = RequestWriter::new(Method::Post, "/v2/x", Location::Body);
        w.field(
            "product_name",
            Location::Body,
            JsonKind::String,
            "\"a\\b\" é/中🍷\n\t\u{1}\u{7f}",
        );
        let r = w.finish(Some(&Signature([0; 32])));
        assert_eq!(
            r.body.unwrap(),
            format!(
                r#"{{"product_name":"\"a\\b\" é/中🍷\n\t\u0001{}","signature":"{}"}}"#,
                '\u{7f}',
                "0".repeat(64)
            )
        );
    }

    #[test]
    fn form_encoding_matches_the_byte_by_byte_rule() {
        let text: String = (1u8..=0x7f)
            .map(char::from)
            .chain("é 中🍷".chars())
            .collect();
        let expected: String = text
            .bytes()
            .map(|b| match b {
                b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'*' => {
                    char::from(b).to_string()
                }
                b' ' => "+".to_owned(),
                _ => format!("%{b:02X}"),
            })
            .collect();
        let mut out = String::new();
        push_form(&mut out, &text);
        assert_eq!(out, expected);
    }

    #[test]
    fn urls_join_the_base_path_and_query() {
        let mut r = RequestWriter::new(Method::Get, "/v2/transaction/{id}", Location::Query);
        r.field("id", Location::Path, JsonKind::String, "a b");
        let r = r.finish(Some(&Signature([0; 32])));
        let expected = format!(
            "https://h/p/v2/transaction/a%20b?signature={}",
            "0".repeat(64)
        );
        assert_eq!(r.url("https://h/p//"), expected);
        assert_eq!(r.url("https://h/p"), expected);
        let post = RequestWriter::new(Method::Post, "/v2/x", Location::Body)
            .finish(Some(&Signature([0; 32])));
        assert_eq!(post.url("https://h/"), "https://h/v2/x");
        assert_eq!(post.path_and_query(), "/v2/x");
    }

    #[test]
    fn body_is_json_with_typed_members() {
        let mut w = RequestWriter::new(Method::Post, "/v2/invoice", Location::Body);
        w.field("amount", Location::Body, JsonKind::String, "1.00");
        w.field("period_time", Location::Body, JsonKind::Number, "30");
        w.field("product_name", Location::Body, JsonKind::String, "a \"b\"");
        w.field("qrcode", Location::Body, JsonKind::Bool, "true");
        let r = w.finish(Some(&Signature([0; 32])));
        let v: serde_json::Value = serde_json::from_str(r.body.as_deref().unwrap()).unwrap();
        assert_eq!(v["amount"], "1.00");
        assert_eq!(v["period_time"], 30);
        assert_eq!(v["product_name"], "a \"b\"");
        assert_eq!(v["qrcode"], true);
        assert_eq!(v["signature"], "0".repeat(64));
    }

    #[test]
    fn strings_are_written_as_serde_json_writes_them() {
        let mut texts: Vec<String> = [
            "",
            "plain",
            "a \"b\"",
            "back\\slash",
            "tab\tnew\nline",
            "\u{1}\u{1f}\u{7f}",
            "é 中文 🍷",
            "/slash/",
            "</script>",
            "\u{2028}",
        ]
        .map(str::to_owned)
        .into();
        // Every byte value as a character, alone and between others.
        texts.extend((0..=127u8).map(|b| format!("x{}y", b as char)));
        for t in texts {
            let mut w = RequestWriter::new(Method::Post, "/v2/x", Location::Body);
            w.field("a\"b", Location::Body, JsonKind::String, &t);
            let expected = match t.as_str() {
                "" => "{}".to_owned(),
                _ => format!(r#"{{"a\"b":{}}}"#, serde_json::to_string(&t).unwrap()),
            };
            assert_eq!(w.finish(None).body.unwrap(), expected, "{t:?}");
        }
    }
}
