//! Errors that point into a spec file.

use std::fmt;

use crate::model::Position;

/// One problem in a spec file, with where it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpecError {
    /// The file (or `<builtin>`).
    pub origin: String,
    /// Where in the file; line 0 when the problem is the file as a whole.
    pub position: Position,
    /// What is wrong, in one sentence.
    pub message: String,
}

impl fmt::Display for SpecError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.position.line == 0 {
            write!(f, "{}: {}", self.origin, self.message)
        } else {
            write!(
                f,
                "{}:{}:{}: {}",
                self.origin, self.position.line, self.position.column, self.message
            )
        }
    }
}

impl std::error::Error for SpecError {}

/// Every problem found in a spec file: validation reports all of them at once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpecErrors(pub Vec<SpecError>);

impl SpecErrors {
    /// The problems, in file order.
    pub fn iter(&self) -> impl Iterator<Item = &SpecError> {
        self.0.iter()
    }
}

impl fmt::Display for SpecErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str("\n")?;
            }
            write!(f, "{e}")?;
        }
        Ok(())
    }
}

impl std::error::Error for SpecErrors {}

/// The closest of `candidates` to `input`, when it is close enough to be a likely typo.
pub fn did_you_mean<'a>(
    input: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let input_lower = input.to_ascii_lowercase();
    let input_chars = input.chars().count();
    let mut best: Option<(usize, &str)> = None;
    for c in candidates {
        let limit = (c.len().max(input.len()) / 3).max(1);
        // The distance is at least the difference in length: a long input (a fuzzer's, or a
        // pasted value) is not compared character by character with every name.
        if input_chars.abs_diff(c.chars().count()) > limit {
            continue;
        }
        let d = edit_distance(&input_lower, &c.to_ascii_lowercase());
        if d <= limit && best.is_none_or(|(bd, _)| d < bd) {
            best = Some((d, c));
        }
    }
    best.map(|(_, c)| c)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.chars().enumerate() {
        cur[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::did_you_mean;

    #[test]
    fn suggests_close_names_only() {
        let names = ["minialipay", "miniapppay", "transaction", "refund"];
        assert_eq!(did_you_mean("minialipy", names), Some("minialipay"));
        assert_eq!(did_you_mean("transacton", names), Some("transaction"));
        assert_eq!(did_you_mean("Refund", names), Some("refund"));
        assert_eq!(did_you_mean("completely_else", names), None);
    }

    #[test]
    fn length_alone_rules_out_only_what_the_distance_would() {
        let names = ["refund"];
        // A third of the longer name's length, as whole characters: 9 / 3 = 3 edits allowed.
        assert_eq!(did_you_mean("refundxxx", names), Some("refund"));
        assert_eq!(did_you_mean("xxxrefund", names), Some("refund"));
        // 10 / 3 = 3 edits allowed, 4 needed.
        assert_eq!(did_you_mean("refundxxxx", names), None);
        // Characters, not bytes: `é` is one edit.
        assert_eq!(did_you_mean("réfund", names), Some("refund"));
        assert_eq!(did_you_mean(&"x".repeat(100_000), names), None);
    }
}
