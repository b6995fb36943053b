//! YAML text to the raw, positioned form of a spec. The YAML syntax is granit-parser's; this module
//! reads its events into the raw model by hand, and rejects what does not have the spec's shape
//! (unknown or duplicate keys, wrong value kinds, aliases, tags, several documents), each with the
//! line and column of the offending token. Meaning is checked by `validate`.
//!
//! Scalars follow the YAML 1.2 core schema where a kind other than text is expected: `true`/`false`
//! for booleans, a plain whole number for `version`, and an empty plain value (or `~`, `null`) for
//! "not given". Where text is expected, any scalar is taken as the text it spells, so `1`, `"1"` and
//! `true` are all text there.

use std::collections::{BTreeMap, VecDeque};

use granit_parser::{ErrorKind, Event, Marker, Parser, ScalarStyle, Span};

use crate::error::{SpecError, did_you_mean};
use crate::model::Position;

/// A value with the position of its first character (for a collection, its first token).
pub(crate) struct Spanned<T> {
    pub value: T,
    pub position: Position,
}

pub(crate) struct RawSpec {
    pub version: Spanned<u64>,
    pub endpoints: OrderedMap<RawEndpoint>,
    pub inbound: OrderedMap<RawInbound>,
    pub models: OrderedMap<RawModel>,
    pub codes: OrderedMap<RawCode>,
    pub enums: OrderedMap<RawEnum>,
}

pub(crate) struct RawEnum {
    pub doc: String,
    pub values: Spanned<Vec<String>>,
}

pub(crate) struct RawCode {
    pub code: Spanned<u64>,
    pub message: Spanned<String>,
    pub doc: String,
}

pub(crate) struct RawEndpoint {
    pub doc: String,
    pub method: Spanned<String>,
    pub path: Spanned<String>,
    pub fields: OrderedMap<RawField>,
    pub signing: Option<RawRule>,
    pub signature_in: Option<Spanned<String>>,
    pub response: Option<RawResponse>,
    pub replaces: Option<Spanned<bool>>,
    pub one_of: Option<RawGroups>,
}

/// `one_of: [[a, b], [c, d]]`: groups of field names, each with its position.
pub(crate) type RawGroups = Spanned<Vec<Spanned<Vec<Spanned<String>>>>>;

pub(crate) struct RawField {
    pub ty: Spanned<String>,
    pub location: Option<Spanned<String>>,
    pub optional: Option<Spanned<bool>>,
    pub from: Option<Spanned<String>>,
    pub constant: Option<Spanned<String>>,
    pub signed: Option<bool>,
    pub values: Option<Spanned<Vec<String>>>,
    pub positive: Option<Spanned<bool>>,
    pub doc: String,
}

pub(crate) struct RawRule {
    pub rule: Spanned<String>,
    pub fields: Option<Vec<Spanned<String>>>,
    pub append_key: Option<bool>,
    pub reason: Option<Spanned<String>>,
}

pub(crate) struct RawResponse {
    pub model: Spanned<String>,
}

pub(crate) struct RawInbound {
    pub doc: String,
    pub encoding: Spanned<String>,
    pub model: Spanned<String>,
    pub replaces: Option<Spanned<bool>>,
}

pub(crate) struct RawModel {
    pub doc: String,
    pub signature: Option<RawRule>,
    pub fields: OrderedMap<RawModelField>,
}

pub(crate) struct RawModelField {
    pub ty: Spanned<String>,
    pub optional: Option<Spanned<bool>>,
    pub nullable: Option<Spanned<bool>>,
    pub values: Option<Spanned<Vec<String>>>,
    pub model: Option<Spanned<String>>,
    pub of: Option<Spanned<String>>,
    pub named_enum: Option<Spanned<String>>,
    pub doc: String,
}

/// A YAML mapping kept in file order, keys with their positions.
pub(crate) struct OrderedMap<V>(pub Vec<(Spanned<String>, V)>);

impl<V> Default for OrderedMap<V> {
    fn default() -> Self {
        OrderedMap(Vec::new())
    }
}

/// A list of texts at its position, without each text's own (`values: [...]`).
fn texts_only(list: Spanned<Vec<Spanned<String>>>) -> Spanned<Vec<String>> {
    Spanned {
        value: list.value.into_iter().map(|s| s.value).collect(),
        position: list.position,
    }
}

/// The position a span points at.
pub(crate) fn position<T>(s: &Spanned<T>) -> Position {
    s.position
}

const SPEC_KEYS: &[&str] = &[
    "version",
    "endpoints",
    "inbound",
    "models",
    "codes",
    "enums",
];
const CODE_KEYS: &[&str] = &["code", "message", "doc"];
const ENUM_KEYS: &[&str] = &["doc", "values"];
const ENDPOINT_KEYS: &[&str] = &[
    "doc",
    "method",
    "path",
    "fields",
    "signing",
    "signature_in",
    "response",
    "one_of",
    "replaces",
];
const FIELD_KEYS: &[&str] = &[
    "type", "in", "optional", "from", "const", "signed", "values", "positive", "doc",
];
const RULE_KEYS: &[&str] = &["rule", "fields", "append_key", "reason"];
const RESPONSE_KEYS: &[&str] = &["model"];
const INBOUND_KEYS: &[&str] = &["doc", "encoding", "model", "replaces"];
const MODEL_KEYS: &[&str] = &["doc", "signature", "fields"];
const MODEL_FIELD_KEYS: &[&str] = &[
    "type", "optional", "nullable", "values", "enum", "model", "of", "doc",
];

const TAGS_UNSUPPORTED: &str =
    "tags (`!name`, `!!str`) are not supported in a spec file; write the value plainly or quoted";

/// The longest piece of a scalar quoted back in a message.
const QUOTE_LIMIT: usize = 40;

/// The raw spec, with the problems that did not stop the reading (unknown and duplicate keys,
/// whose values are skipped); a problem that stops it is the error.
pub(crate) fn parse(text: &str, origin: &str) -> Result<(RawSpec, Vec<SpecError>), Vec<SpecError>> {
    let options = granit_parser::options! {
        emit_comments: false,
        // Reported as "aliases are not supported" rather than as an unknown anchor.
        emit_unresolved_aliases: true,
    };
    // The whole text is parsed first, so that a YAML syntax error is reported as such even when
    // what comes before it does not have the spec's shape either.
    let mut events = VecDeque::new();
    let mut end = Position { line: 1, column: 1 };
    for next in Parser::new_from_str_with_options(text, options) {
        match next {
            Ok((event, span)) => {
                end = pos(span.end);
                events.push_back((event, span));
            }
            Err(e) => {
                return Err(vec![SpecError {
                    origin: origin.to_owned(),
                    position: pos(*e.marker()),
                    message: match e.kind() {
                        ErrorKind::RecursionLimitExceeded => {
                            "invalid YAML: collections nested too deeply".to_owned()
                        }
                        _ => format!("invalid YAML: {}", e.info()),
                    },
                }]);
            }
        }
    }
    let mut reader = Reader {
        events,
        origin,
        end,
        problems: Vec::new(),
    };
    match reader.document() {
        Ok(spec) => Ok((spec, reader.problems)),
        // What stopped the reading comes with what was reported before it.
        Err(stop) => {
            let mut problems = reader.problems;
            problems.push(stop);
            Err(problems)
        }
    }
}

fn pos(m: Marker) -> Position {
    Position {
        line: u64::try_from(m.line()).unwrap_or(u64::MAX),
        column: u64::try_from(m.col()).unwrap_or(u64::MAX).saturating_add(1),
    }
}

/// `~`, `null` or nothing, written plainly: the core schema's null, "not given" here.
fn is_null(event: &Event<'_>) -> bool {
    matches!(
        event,
        Event::Scalar(text, ScalarStyle::Plain, _, None)
            if matches!(text.as_ref(), "" | "~" | "null" | "Null" | "NULL")
    )
}

/// What a node is, for "expected X, found Y".
fn describe(event: &Event<'_>) -> String {
    match event {
        _ if is_null(event) => "an empty value".to_owned(),
        Event::Scalar(text, style, ..) => {
            let mut quoted: String = text.chars().take(QUOTE_LIMIT).collect();
            if quoted.len() < text.len() {
                quoted.push_str("...");
            }
            match style {
                ScalarStyle::Plain => format!("{quoted:?}"),
                ScalarStyle::SingleQuoted | ScalarStyle::DoubleQuoted => {
                    format!("the quoted text {quoted:?}")
                }
                _ => format!("the block text {quoted:?}"),
            }
        }
        Event::SequenceStart(..) => "a sequence".to_owned(),
        Event::MappingStart(..) => "a mapping".to_owned(),
        _ => "the end of the collection".to_owned(),
    }
}

/// "`key` of endpoint `ping`": what a value is, in messages.
fn of(key: &str, what: &str) -> String {
    format!("`{key}` of {what}")
}

struct Reader<'a> {
    events: VecDeque<(Event<'a>, Span)>,
    origin: &'a str,
    /// Where the text ends: where an unexpected end of the events is reported.
    end: Position,
    /// Problems reported without stopping: the rest of the text is still read, so that a file's
    /// mistakes come in one round.
    problems: Vec<SpecError>,
}

impl<'a> Reader<'a> {
    fn error(&self, at: Position, message: impl Into<String>) -> SpecError {
        SpecError {
            origin: self.origin.to_owned(),
            position: at,
            message: message.into(),
        }
    }

    fn next(&mut self) -> Result<(Event<'a>, Span), SpecError> {
        self.events
            .pop_front()
            .ok_or_else(|| self.error(self.end, "unexpected end of the YAML text"))
    }

    /// Consumes the next node whole (a scalar, or a collection with everything in it): the value
    /// of a key that was reported and is not read.
    fn skip_node(&mut self) -> Result<(), SpecError> {
        let mut depth = 0usize;
        loop {
            let (event, _) = self.next()?;
            match event {
                Event::MappingStart(..) | Event::SequenceStart(..) => depth += 1,
                Event::MappingEnd | Event::SequenceEnd => depth = depth.saturating_sub(1),
                _ => {}
            }
            if depth == 0 {
                return Ok(());
            }
        }
    }

    /// Consumes the next node when it is a plain null, and says so.
    fn null(&mut self) -> bool {
        let null = self.events.front().is_some_and(|(event, _)| is_null(event));
        if null {
            self.events.pop_front();
        }
        null
    }

    /// The next event, which must start a node (a scalar or a collection) without properties the
    /// spec does not use: aliases and tags are rejected.
    fn node(&mut self, what: &str) -> Result<(Event<'a>, Position), SpecError> {
        let (event, span) = self.next()?;
        let at = pos(span.start);
        match &event {
            Event::Alias(_) | Event::UnresolvedAlias(_) => Err(self.error(
                at,
                format!(
                    "{what}: aliases (`*name`) are not supported in a spec file; write the value out"
                ),
            )),
            _ if event.tag().is_some() => {
                let at = span.tag_start().map_or(at, pos);
                Err(self.error(at, format!("{what}: {TAGS_UNSUPPORTED}")))
            }
            Event::Scalar(..) | Event::SequenceStart(..) | Event::MappingStart(..) => {
                Ok((event, at))
            }
            _ => Err(self.error(
                at,
                format!("{what}: expected a value, found {}", describe(&event)),
            )),
        }
    }

    fn kind_error(&self, at: Position, what: &str, expected: &str, found: &Event<'_>) -> SpecError {
        self.error(
            at,
            format!("{what} must be {expected}, found {}", describe(found)),
        )
    }

    fn document(&mut self) -> Result<RawSpec, SpecError> {
        const EXPECTED: &str = "a mapping with `version` and `endpoints`";
        let (event, _) = self.next()?;
        if !matches!(event, Event::StreamStart) {
            return Err(self.error(self.end, "invalid YAML: no stream start"));
        }
        let (event, span) = self.next()?;
        match event {
            Event::DocumentStart(..) => {}
            Event::StreamEnd => {
                return Err(self.error(
                    pos(span.start),
                    format!("the spec is empty; expected {EXPECTED}"),
                ));
            }
            other => {
                return Err(self.error(
                    pos(span.start),
                    format!(
                        "invalid YAML: expected a document, found {}",
                        describe(&other)
                    ),
                ));
            }
        }
        let spec = self.spec()?;
        let (event, span) = self.next()?;
        if !matches!(event, Event::DocumentEnd) {
            return Err(self.error(
                pos(span.start),
                format!(
                    "invalid YAML: expected the end of the document, found {}",
                    describe(&event)
                ),
            ));
        }
        let (event, span) = self.next()?;
        match event {
            Event::StreamEnd => Ok(spec),
            Event::DocumentStart(..) => Err(self.error(
                pos(span.start),
                "a spec file is one YAML document, but a second one starts here",
            )),
            other => Err(self.error(
                pos(span.start),
                format!(
                    "invalid YAML: expected the end of the text, found {}",
                    describe(&other)
                ),
            )),
        }
    }

    /// Reads a mapping, calling `entry` with each key (after checking it against `keys`, when
    /// given, and against the keys before it); `entry` reads the value. Returns where the mapping
    /// starts.
    fn map(
        &mut self,
        what: &str,
        keys: Option<&[&str]>,
        mut entry: impl FnMut(&mut Self, Spanned<String>) -> Result<(), SpecError>,
    ) -> Result<Position, SpecError> {
        let (event, start) = self.node(what)?;
        if !matches!(event, Event::MappingStart(..)) {
            return Err(self.kind_error(start, what, "a mapping (`key: value` lines)", &event));
        }
        let mut seen: BTreeMap<String, Position> = BTreeMap::new();
        loop {
            let (event, span) = self.next()?;
            if matches!(event, Event::MappingEnd) {
                return Ok(start);
            }
            let at = pos(span.start);
            let key = match event {
                Event::Alias(_) | Event::UnresolvedAlias(_) => {
                    return Err(self.error(
                        at,
                        format!(
                            "a key of {what}: aliases (`*name`) are not supported in a spec file; write the key out"
                        ),
                    ));
                }
                Event::Scalar(text, _, _, None) => text.into_owned(),
                Event::Scalar(..) => {
                    let at = span.tag_start().map_or(at, pos);
                    return Err(self.error(at, format!("a key of {what}: {TAGS_UNSUPPORTED}")));
                }
                other => {
                    return Err(self.error(
                        at,
                        format!("a key of {what} must be a name, found {}", describe(&other)),
                    ));
                }
            };
            if let Some(keys) = keys.filter(|k| !k.contains(&key.as_str())) {
                let problem = self.error(at, unknown_key(&key, what, keys));
                self.problems.push(problem);
                self.skip_node()?;
                continue;
            }
            if let Some(first) = seen.get(&key) {
                let problem = self.error(
                    at,
                    format!(
                        "duplicate key `{key}` in {what}; it is first at line {}, column {}",
                        first.line, first.column
                    ),
                );
                self.problems.push(problem);
                self.skip_node()?;
                continue;
            }
            seen.insert(key.clone(), at);
            entry(
                self,
                Spanned {
                    value: key,
                    position: at,
                },
            )?;
        }
    }

    /// A mapping of names to values read by `item`, in file order.
    fn ordered<V>(
        &mut self,
        what: &str,
        mut item: impl FnMut(&mut Self, &Spanned<String>) -> Result<V, SpecError>,
    ) -> Result<OrderedMap<V>, SpecError> {
        let mut out = Vec::new();
        self.map(what, None, |r, key| {
            let value = item(r, &key)?;
            out.push((key, value));
            Ok(())
        })?;
        Ok(OrderedMap(out))
    }

    /// A scalar as the text it spells; `None` for a plain null.
    fn optional_text(&mut self, what: &str) -> Result<Option<Spanned<String>>, SpecError> {
        if self.null() {
            return Ok(None);
        }
        self.text(what).map(Some)
    }

    /// A scalar as the text it spells; a null is an error.
    fn text(&mut self, what: &str) -> Result<Spanned<String>, SpecError> {
        let (event, at) = self.node(what)?;
        match event {
            _ if is_null(&event) => Err(self.error(at, format!("{what} is empty; expected text"))),
            Event::Scalar(text, ..) => Ok(Spanned {
                value: text.into_owned(),
                position: at,
            }),
            other => Err(self.kind_error(at, what, "text", &other)),
        }
    }

    /// `true` or `false`, written plainly; `None` for a plain null.
    fn boolean(&mut self, what: &str) -> Result<Option<Spanned<bool>>, SpecError> {
        if self.null() {
            return Ok(None);
        }
        let (event, at) = self.node(what)?;
        let value = match &event {
            Event::Scalar(text, ScalarStyle::Plain, ..) => match text.as_ref() {
                "true" | "True" | "TRUE" => Some(true),
                "false" | "False" | "FALSE" => Some(false),
                _ => None,
            },
            _ => None,
        };
        match value {
            Some(value) => Ok(Some(Spanned {
                value,
                position: at,
            })),
            None => Err(self.kind_error(at, what, "true or false (unquoted)", &event)),
        }
    }

    /// A whole number written plainly: decimal, `0x` hexadecimal or `0o` octal (the core schema).
    fn integer(&mut self, what: &str) -> Result<Spanned<u64>, SpecError> {
        let (event, at) = self.node(what)?;
        let value = match &event {
            Event::Scalar(text, ScalarStyle::Plain, ..) => parse_u64(text),
            _ => None,
        };
        match value {
            Some(value) => Ok(Spanned {
                value,
                position: at,
            }),
            None => Err(self.kind_error(at, what, "a whole number like 1", &event)),
        }
    }

    /// A sequence of text, like `[a, "b"]`; `None` for a plain null.
    fn texts(&mut self, what: &str) -> Result<Option<Spanned<Vec<Spanned<String>>>>, SpecError> {
        if self.null() {
            return Ok(None);
        }
        let (event, start) = self.node(what)?;
        if !matches!(event, Event::SequenceStart(..)) {
            return Err(self.kind_error(start, what, "a sequence like `[a, b]`", &event));
        }
        let entry = format!("an entry of {what}");
        let mut out = Vec::new();
        loop {
            if let Some((Event::SequenceEnd, _)) = self.events.front() {
                self.next()?;
                return Ok(Some(Spanned {
                    value: out,
                    position: start,
                }));
            }
            out.push(self.text(&entry)?);
        }
    }

    /// A sequence of sequences of text, like `[[a, b], [c, d]]`; `None` for a plain null.
    fn groups(&mut self, what: &str) -> Result<Option<RawGroups>, SpecError> {
        if self.null() {
            return Ok(None);
        }
        let (event, start) = self.node(what)?;
        if !matches!(event, Event::SequenceStart(..)) {
            return Err(self.kind_error(
                start,
                what,
                "a sequence of groups like `[[a, b]]`",
                &event,
            ));
        }
        let entry = format!("a group of {what}");
        let mut out = Vec::new();
        loop {
            if let Some((Event::SequenceEnd, _)) = self.events.front() {
                self.next()?;
                return Ok(Some(Spanned {
                    value: out,
                    position: start,
                }));
            }
            let at = self
                .events
                .front()
                .map_or(self.end, |(_, span)| pos(span.start));
            match self.texts(&entry)? {
                Some(group) => out.push(group),
                None => {
                    return Err(
                        self.error(at, format!("{entry} is empty; write the group as `[a, b]`"))
                    );
                }
            }
        }
    }

    fn spec(&mut self) -> Result<RawSpec, SpecError> {
        let what = "the spec";
        let (mut version, mut endpoints, mut inbound, mut models) = (None, None, None, None);
        let (mut codes, mut enums) = (None, None);
        let start = self.map(what, Some(SPEC_KEYS), |r, key| {
            match key.value.as_str() {
                "version" => version = Some(r.integer("`version`")?),
                "endpoints" => endpoints = Some(r.ordered("`endpoints`", Self::endpoint)?),
                "models" => {
                    if !r.null() {
                        models = Some(r.ordered("`models`", Self::model)?);
                    }
                }
                "codes" => {
                    if !r.null() {
                        codes = Some(r.ordered("`codes`", Self::code)?);
                    }
                }
                "enums" => {
                    if !r.null() {
                        enums = Some(r.ordered("`enums`", Self::named_enum)?);
                    }
                }
                _ => {
                    if !r.null() {
                        inbound = Some(r.ordered("`inbound`", Self::inbound)?);
                    }
                }
            }
            Ok(())
        })?;
        Ok(RawSpec {
            version: version.ok_or_else(|| self.missing(start, what, "version"))?,
            endpoints: endpoints.ok_or_else(|| self.missing(start, what, "endpoints"))?,
            inbound: inbound.unwrap_or_default(),
            models: models.unwrap_or_default(),
            codes: codes.unwrap_or_default(),
            enums: enums.unwrap_or_default(),
        })
    }

    fn missing(&self, at: Position, what: &str, key: &str) -> SpecError {
        self.error(at, format!("{what} has no `{key}`"))
    }

    fn endpoint(&mut self, name: &Spanned<String>) -> Result<RawEndpoint, SpecError> {
        let what = format!("endpoint `{}`", name.value);
        let mut doc = None;
        let (mut method, mut path, mut fields) = (None, None, None);
        let (mut signing, mut signature_in, mut response) = (None, None, None);
        let (mut replaces, mut one_of) = (None, None);
        self.map(&what, Some(ENDPOINT_KEYS), |r, key| {
            let w = of(&key.value, &what);
            match key.value.as_str() {
                "doc" => doc = r.optional_text(&w)?,
                "method" => method = Some(r.text(&w)?),
                "path" => path = Some(r.text(&w)?),
                "fields" => fields = Some(r.ordered(&w, |r, name| r.field(name, &what))?),
                "signing" => signing = r.optional(|r| r.rule(&w))?,
                "signature_in" => signature_in = r.optional_text(&w)?,
                "replaces" => replaces = r.boolean(&w)?,
                "one_of" => one_of = r.groups(&w)?,
                _ => response = r.optional(|r| r.response(&w))?,
            }
            Ok(())
        })?;
        Ok(RawEndpoint {
            doc: doc.map(|d| d.value).unwrap_or_default(),
            method: method.ok_or_else(|| self.missing(name.position, &what, "method"))?,
            path: path.ok_or_else(|| self.missing(name.position, &what, "path"))?,
            fields: fields.ok_or_else(|| self.missing(name.position, &what, "fields"))?,
            signing,
            signature_in,
            response,
            replaces,
            one_of,
        })
    }

    /// `None` for a plain null, else what `read` reads.
    fn optional<T>(
        &mut self,
        read: impl FnOnce(&mut Self) -> Result<T, SpecError>,
    ) -> Result<Option<T>, SpecError> {
        if self.null() {
            return Ok(None);
        }
        read(self).map(Some)
    }

    fn field(&mut self, name: &Spanned<String>, parent: &str) -> Result<RawField, SpecError> {
        let what = format!("field `{}` of {parent}", name.value);
        let (mut ty, mut location, mut optional, mut from) = (None, None, None, None);
        let (mut constant, mut signed, mut values, mut doc) = (None, None, None, None);
        let mut positive = None;
        self.map(&what, Some(FIELD_KEYS), |r, key| {
            let w = of(&key.value, &what);
            match key.value.as_str() {
                "type" => ty = Some(r.text(&w)?),
                "in" => location = r.optional_text(&w)?,
                "optional" => optional = r.boolean(&w)?,
                "from" => from = r.optional_text(&w)?,
                "const" => constant = r.optional_text(&w)?,
                "signed" => signed = r.boolean(&w)?.map(|s| s.value),
                "values" => values = r.texts(&w)?,
                "positive" => positive = r.boolean(&w)?,
                _ => doc = r.optional_text(&w)?,
            }
            Ok(())
        })?;
        Ok(RawField {
            ty: ty.ok_or_else(|| self.missing(name.position, &what, "type"))?,
            location,
            optional,
            from,
            constant,
            signed,
            values: values.map(texts_only),
            positive,
            doc: doc.map(|d| d.value).unwrap_or_default(),
        })
    }

    /// A signing rule; `what` names it, and its key is where a missing `rule` is reported.
    fn rule(&mut self, what: &str) -> Result<RawRule, SpecError> {
        let (mut rule, mut fields, mut append_key, mut reason) = (None, None, None, None);
        let start = self.map(what, Some(RULE_KEYS), |r, key| {
            let w = of(&key.value, what);
            match key.value.as_str() {
                "rule" => rule = Some(r.text(&w)?),
                "fields" => fields = r.texts(&w)?.map(|f| f.value),
                "reason" => reason = r.optional_text(&w)?,
                _ => append_key = r.boolean(&w)?.map(|a| a.value),
            }
            Ok(())
        })?;
        Ok(RawRule {
            rule: rule.ok_or_else(|| self.missing(start, what, "rule"))?,
            fields,
            append_key,
            reason,
        })
    }

    fn response(&mut self, what: &str) -> Result<RawResponse, SpecError> {
        let mut model = None;
        let start = self.map(what, Some(RESPONSE_KEYS), |r, key| {
            model = Some(r.text(&of(&key.value, what))?);
            Ok(())
        })?;
        Ok(RawResponse {
            model: model.ok_or_else(|| self.missing(start, what, "model"))?,
        })
    }

    fn inbound(&mut self, name: &Spanned<String>) -> Result<RawInbound, SpecError> {
        let what = format!("inbound message `{}`", name.value);
        let (mut doc, mut encoding, mut model, mut replaces) = (None, None, None, None);
        self.map(&what, Some(INBOUND_KEYS), |r, key| {
            let w = of(&key.value, &what);
            match key.value.as_str() {
                "doc" => doc = r.optional_text(&w)?,
                "encoding" => encoding = Some(r.text(&w)?),
                "replaces" => replaces = r.boolean(&w)?,
                _ => model = Some(r.text(&w)?),
            }
            Ok(())
        })?;
        Ok(RawInbound {
            doc: doc.map(|d| d.value).unwrap_or_default(),
            encoding: encoding.ok_or_else(|| self.missing(name.position, &what, "encoding"))?,
            model: model.ok_or_else(|| self.missing(name.position, &what, "model"))?,
            replaces,
        })
    }

    fn code(&mut self, name: &Spanned<String>) -> Result<RawCode, SpecError> {
        let what = format!("code `{}`", name.value);
        let (mut code, mut message, mut doc) = (None, None, None);
        self.map(&what, Some(CODE_KEYS), |r, key| {
            let w = of(&key.value, &what);
            match key.value.as_str() {
                "code" => code = Some(r.integer(&w)?),
                "message" => message = Some(r.text(&w)?),
                _ => doc = r.optional_text(&w)?,
            }
            Ok(())
        })?;
        Ok(RawCode {
            code: code.ok_or_else(|| self.missing(name.position, &what, "code"))?,
            message: message.ok_or_else(|| self.missing(name.position, &what, "message"))?,
            doc: doc.map(|d| d.value).unwrap_or_default(),
        })
    }

    fn named_enum(&mut self, name: &Spanned<String>) -> Result<RawEnum, SpecError> {
        let what = format!("enum `{}`", name.value);
        let (mut doc, mut values) = (None, None);
        self.map(&what, Some(ENUM_KEYS), |r, key| {
            let w = of(&key.value, &what);
            match key.value.as_str() {
                "values" => values = r.texts(&w)?,
                _ => doc = r.optional_text(&w)?,
            }
            Ok(())
        })?;
        let values = values.ok_or_else(|| self.missing(name.position, &what, "values"))?;
        Ok(RawEnum {
            doc: doc.map(|d| d.value).unwrap_or_default(),
            values: texts_only(values),
        })
    }

    fn model(&mut self, name: &Spanned<String>) -> Result<RawModel, SpecError> {
        let what = format!("model `{}`", name.value);
        let (mut doc, mut signature, mut fields) = (None, None, None);
        self.map(&what, Some(MODEL_KEYS), |r, key| {
            let w = of(&key.value, &what);
            match key.value.as_str() {
                "doc" => doc = r.optional_text(&w)?,
                "signature" => signature = r.optional(|r| r.rule(&w))?,
                _ => {
                    fields = Some(if r.null() {
                        OrderedMap::default()
                    } else {
                        r.ordered(&w, |r, field| r.model_field(field, &what))?
                    })
                }
            }
            Ok(())
        })?;
        Ok(RawModel {
            doc: doc.map(|d| d.value).unwrap_or_default(),
            signature,
            fields: fields.ok_or_else(|| self.missing(name.position, &what, "fields"))?,
        })
    }

    fn model_field(
        &mut self,
        name: &Spanned<String>,
        parent: &str,
    ) -> Result<RawModelField, SpecError> {
        let what = format!("field `{}` of {parent}", name.value);
        let (mut ty, mut optional, mut nullable, mut values) = (None, None, None, None);
        let (mut model, mut list_of, mut named_enum, mut doc) = (None, None, None, None);
        self.map(&what, Some(MODEL_FIELD_KEYS), |r, key| {
            let w = of(&key.value, &what);
            match key.value.as_str() {
                "type" => ty = Some(r.text(&w)?),
                "optional" => optional = r.boolean(&w)?,
                "nullable" => nullable = r.boolean(&w)?,
                "values" => values = r.texts(&w)?,
                "model" => model = r.optional_text(&w)?,
                "of" => list_of = r.optional_text(&w)?,
                "enum" => named_enum = r.optional_text(&w)?,
                _ => doc = r.optional_text(&w)?,
            }
            Ok(())
        })?;
        Ok(RawModelField {
            ty: ty.ok_or_else(|| self.missing(name.position, &what, "type"))?,
            optional,
            nullable,
            values: values.map(texts_only),
            model,
            of: list_of,
            named_enum,
            doc: doc.map(|d| d.value).unwrap_or_default(),
        })
    }
}

fn unknown_key(key: &str, what: &str, keys: &[&str]) -> String {
    let mut shown: String = key.chars().take(QUOTE_LIMIT).collect();
    if shown.len() < key.len() {
        shown.push_str("...");
    }
    let allowed = keys.join(", ");
    if key == "<<" {
        return format!(
            "merge keys (`<<`) are not supported in a spec file; write the keys of {what} out ({allowed})"
        );
    }
    if key == "signature" && what.starts_with("`response`") {
        return format!(
            "a response's signature rule is declared on its model now: move it to `models: <model>: signature` (in {what})"
        );
    }
    match did_you_mean(key, keys.iter().copied()) {
        Some(m) => format!(
            "unknown key `{shown}` in {what}; did you mean `{m}`? (expected one of: {allowed})"
        ),
        None => format!("unknown key `{shown}` in {what}; expected one of: {allowed}"),
    }
}

/// The core schema's integers (`[-+]?[0-9]+`, `0o[0-7]+`, `0x[0-9a-fA-F]+`) that fit a `u64`.
fn parse_u64(text: &str) -> Option<u64> {
    let (digits, radix) = if let Some(hex) = text.strip_prefix("0x") {
        (hex, 16)
    } else if let Some(octal) = text.strip_prefix("0o") {
        (octal, 8)
    } else {
        (text.strip_prefix('+').unwrap_or(text), 10)
    };
    if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
        return None;
    }
    u64::from_str_radix(digits, radix).ok()
}
