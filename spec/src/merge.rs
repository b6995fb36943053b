//! A merchant's spec file added to the built-in spec: the API that `#[latipay(spec = "...")]`,
//! `latipay --spec` and the sandbox play. The merchant's endpoints and inbound messages come next
//! to the built-in ones; one with a built-in's name replaces it only when it says
//! `replaces: true`, and nothing else is ever replaced.

use crate::error::{SpecError, SpecErrors};
use crate::model::{Position, ResultCode, Spec};

/// What is wrong with a merchant's endpoint or inbound message (`what`) called `name`, whose
/// `replaces` is `replaces`, when the spec it is added to has one of that name (`builtin`):
/// an unmarked clash, or a `replaces: true` with nothing to replace. The validator reports it at
/// the name (or at `replaces`), [`Spec::with_merchant`] at the endpoint.
pub(crate) fn replace_problem(
    what: &str,
    name: &str,
    replaces: bool,
    builtin: bool,
) -> Option<String> {
    match (builtin, replaces) {
        (true, false) => Some(format!(
            "{what} `{name}` has the name of a built-in {what}; add `replaces: true` to use yours instead of the built-in one, or give yours another name"
        )),
        (false, true) => Some(format!(
            "{what} `{name}` says `replaces: true`, but there is no built-in {what} `{name}` to replace; remove `replaces`"
        )),
        _ => None,
    }
}

/// A merchant's model named like a built-in one.
pub(crate) fn builtin_model_problem(name: &str) -> String {
    format!("model `{name}` is a built-in model; give yours another name, or use the built-in one")
}

/// A result code whose name or number another already has.
pub(crate) fn code_problem(code: &ResultCode, other: &ResultCode) -> String {
    format!(
        "code `{}` ({}) repeats `{}` ({}); each name and number is declared once",
        code.name, code.code, other.name, other.code
    )
}

impl Spec {
    /// This spec with `merchant`'s endpoints, inbound messages, models, shared enums and codes added, as
    /// [`with_builtin`] does for the built-in spec: a merchant's endpoint or inbound message with
    /// the name of one here replaces it only when it says `replaces: true`; its models and codes
    /// must not differ from those of the same name here. Every problem is reported at once.
    /// The result is named after the merchant's file (`origin`).
    pub fn with_merchant(&self, merchant: &Spec) -> Result<Spec, SpecErrors> {
        let mut errors = Vec::new();
        let error = |position: Position, message: String| SpecError {
            origin: merchant.origin.clone(),
            position,
            message,
        };
        let mut out = self.clone();
        out.origin = merchant.origin.clone();
        for (name, e) in &merchant.endpoints {
            let builtin = self.endpoints.contains_key(name);
            match replace_problem("endpoint", name, e.replaces, builtin) {
                Some(message) => errors.push(error(e.position, message)),
                None => {
                    out.endpoints.insert(name.clone(), e.clone());
                }
            }
        }
        for (name, i) in &merchant.inbound {
            let builtin = self.inbound.contains_key(name);
            match replace_problem("inbound message", name, i.replaces, builtin) {
                Some(message) => errors.push(error(Position::default(), message)),
                None => {
                    out.inbound.insert(name.clone(), i.clone());
                }
            }
        }
        // The built-in models a merchant's file uses are copies: equal, and kept once.
        for (name, m) in &merchant.models {
            match self.models.get(name) {
                Some(here) if here == m => {}
                Some(_) => errors.push(error(m.position, builtin_model_problem(name))),
                None => {
                    out.models.insert(name.clone(), m.clone());
                }
            }
        }
        // So are the built-in shared enums its models use.
        for (name, e) in &merchant.enums {
            match self.enums.get(name) {
                Some(here) if here == e => {}
                Some(_) => errors.push(error(
                    Position::default(),
                    format!(
                        "enum `{name}` is a built-in enum; use it as it is, do not declare it again"
                    ),
                )),
                None => {
                    out.enums.insert(name.clone(), e.clone());
                }
            }
        }
        // A merchant's file lists the built-in codes before its own.
        for code in &merchant.codes {
            match out
                .codes
                .iter()
                .find(|c| c.name == code.name || c.code == code.code)
            {
                Some(here) if here == code => {}
                Some(other) => errors.push(error(Position::default(), code_problem(code, other))),
                None => out.codes.push(code.clone()),
            }
        }
        if errors.is_empty() {
            Ok(out)
        } else {
            errors.sort_by_key(|e| (e.position.line, e.position.column));
            Err(SpecErrors(errors))
        }
    }
}

/// The built-in spec with a merchant's file (from [`parse_merchant`](crate::parse_merchant) or
/// [`from_file`](crate::from_file)) added: its endpoints next to the built-in ones, one with a
/// built-in's name only when it says `replaces: true`. What the derive, `latipay --spec` and
/// the sandbox (`Config::add_spec`) all use.
pub fn with_builtin(merchant: &Spec) -> Result<Spec, SpecErrors> {
    crate::builtin().with_merchant(merchant)
}
