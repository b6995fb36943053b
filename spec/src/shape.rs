//! Whether a received object has the shape its model declares: what the CLI and the sandbox
//! check at run time, for any model of any spec (the runtime's generated types check the same
//! things by decoding). Members the model does not declare are allowed: Latipay adds fields.

use crate::inbound::{RawObject, kind_of, text_of};
use crate::model::{ENVELOPE, Model, ModelType, Spec};
use serde_json::value::RawValue;

/// Why an object does not have its model's shape: the member (a path for nested ones) and what
/// is wrong with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShapeError {
    /// The member, `data.amount` for a nested one.
    pub member: String,
    /// What is wrong.
    pub problem: String,
}

impl std::fmt::Display for ShapeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "`{}` {}", self.member, self.problem)
    }
}

impl std::error::Error for ShapeError {}

/// Checks `object` against `model`: every declared member that is not optional is present, and
/// every member present has its declared type (null only where nullable).
pub fn check(spec: &Spec, model: &Model, object: &RawObject) -> Result<(), ShapeError> {
    check_at(spec, model, object, "")
}

/// The members of `object` that `model` does not declare (nor the envelope, for an answer).
pub fn undeclared<'o>(model: &Model, object: &'o RawObject) -> Vec<&'o str> {
    object
        .members()
        .map(|(n, _)| n)
        .filter(|n| !model.knows(n))
        .collect()
}

fn check_at(spec: &Spec, model: &Model, object: &RawObject, path: &str) -> Result<(), ShapeError> {
    let fail = |name: &str, problem: String| ShapeError {
        member: format!("{path}{name}"),
        problem,
    };
    if model.envelope {
        for name in ENVELOPE {
            if let Some(raw) = object.get(name) {
                let ty = if *name == "code" {
                    ModelType::Integer
                } else {
                    ModelType::String
                };
                value(spec, &ty, raw, &format!("{path}{name}"))
                    .map_err(|problem| fail(name, problem))?;
            }
        }
    }
    for field in &model.fields {
        match object.get(&field.name) {
            None if field.optional => {}
            None => return Err(fail(&field.name, "is missing".to_owned())),
            Some(raw) if raw.get() == "null" => {
                if !field.nullable {
                    return Err(fail(&field.name, "is null".to_owned()));
                }
            }
            Some(raw) => value(spec, &field.ty, raw, &format!("{path}{}", field.name))
                .map_err(|problem| fail(&field.name, problem))?,
        }
    }
    Ok(())
}

fn value(spec: &Spec, ty: &ModelType, raw: &RawValue, path: &str) -> Result<(), String> {
    let first = raw.get().as_bytes().first().copied().unwrap_or(b' ');
    let is_number = matches!(first, b'-' | b'0'..=b'9');
    let found = |expected: &str| Err(format!("is {}, not {expected}", kind_of(raw)));
    match ty {
        // A string must decode (a lone surrogate does not): the generated types read it so.
        ModelType::String | ModelType::Enum(_) if is_number => Ok(()),
        ModelType::String | ModelType::Enum(_) if first == b'"' => match text_of(raw) {
            Some(_) => Ok(()),
            None => Err("is not a valid string".to_owned()),
        },
        ModelType::String | ModelType::Enum(_) => found("a text"),
        ModelType::Integer => match text_of(raw) {
            Some(t) if (first == b'"' || is_number) && t.parse::<i64>().is_ok() => Ok(()),
            _ => found("a whole number"),
        },
        ModelType::Boolean if first == b't' || first == b'f' => Ok(()),
        ModelType::Boolean => found("true or false"),
        ModelType::Amount | ModelType::Decimal => match text_of(raw) {
            Some(t)
                if (first == b'"' || is_number)
                    && serde_json::from_str::<&RawValue>(&t).is_ok_and(|n| {
                        matches!(n.get().as_bytes().first(), Some(b'-' | b'0'..=b'9'))
                    }) =>
            {
                Ok(())
            }
            _ => found("a number"),
        },
        ModelType::Object if first == b'{' => Ok(()),
        ModelType::Object => found("an object"),
        ModelType::List(inner) => {
            let items: Vec<&RawValue> = serde_json::from_str(raw.get())
                .map_err(|_| format!("is {}, not a list", kind_of(raw)))?;
            for (i, item) in items.iter().enumerate() {
                value(spec, inner, item, &format!("{path}[{i}]"))
                    .map_err(|e| format!("item {i} {e}"))?;
            }
            Ok(())
        }
        ModelType::Model(name) => {
            let object = RawObject::parse(raw.get())
                .map_err(|_| format!("is {}, not an object", kind_of(raw)))?;
            match spec.model(name) {
                Some(inner) => check_at(spec, inner, &object, &format!("{path}."))
                    .map_err(|e| format!("has `{}` that {}", e.member, e.problem)),
                None => Ok(()),
            }
        }
    }
}
