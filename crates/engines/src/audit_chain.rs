//! Tamper-evident audit chain.
//!
//! Every audit row stores the hash of the previous row (`prev_hash`) and its own hash computed
//! over `prev_hash` and all its fields. Altering a row changes its hash, so the next row's
//! `prev_hash` no longer matches; removing a row leaves a hole in the id sequence and breaks the
//! link; removing the newest rows is caught by the chain head kept beside the table.
//! This is the classic hash-chained log (as in Certificate Transparency's append-only logs,
//! without the Merkle tree: a 50-person shop writes thousands of rows a day, not millions).

use sha2::{Digest, Sha256};

/// The `prev_hash` of the very first row.
pub const GENESIS_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// The hashed content of one audit row, borrowed from wherever it is stored.
#[derive(Debug, Clone, Copy)]
pub struct AuditFields<'a> {
    pub id: i64,
    /// RFC 3339 UTC timestamp with microseconds, exactly as stored.
    pub at: &'a str,
    pub actor_id: Option<i64>,
    pub actor_login: &'a str,
    pub entity_type: &'a str,
    pub entity_id: &'a str,
    pub action: &'a str,
    pub before: Option<&'a str>,
    pub after: Option<&'a str>,
    pub request_id: &'a str,
}

/// A stored row: its fields plus the two hashes it carries.
#[derive(Debug, Clone, Copy)]
pub struct StoredRow<'a> {
    pub fields: AuditFields<'a>,
    pub prev_hash: &'a str,
    pub hash: &'a str,
}

/// Hash of a row given the previous row's hash.
///
/// Fields are length-prefixed so that moving characters from one field to the next cannot give
/// the same input (`("ab","c")` and `("a","bc")` hash differently).
///
/// ```
/// use usinage_engines::audit_chain::{row_hash, AuditFields, GENESIS_HASH};
/// let f = AuditFields { id: 1, at: "2026-11-27T14:05:00.000000Z", actor_id: Some(1),
///     actor_login: "admin", entity_type: "user", entity_id: "2", action: "create",
///     before: None, after: Some("{\"login\":\"kdumas\"}"), request_id: "r1" };
/// let h = row_hash(GENESIS_HASH, &f);
/// assert_eq!(h.len(), 64);
/// assert_ne!(h, row_hash(GENESIS_HASH, &AuditFields { action: "update", ..f }));
/// ```
pub fn row_hash(prev_hash: &str, f: &AuditFields<'_>) -> String {
    let mut h = Sha256::new();
    let mut put = |s: &str| {
        h.update((s.len() as u64).to_be_bytes());
        h.update(s.as_bytes());
    };
    put(prev_hash);
    put(&f.id.to_string());
    put(f.at);
    put(&f.actor_id.map(|v| v.to_string()).unwrap_or_default());
    put(f.actor_login);
    put(f.entity_type);
    put(f.entity_id);
    put(f.action);
    put(f.before.unwrap_or("\u{0}null"));
    put(f.after.unwrap_or("\u{0}null"));
    put(f.request_id);
    hex::encode(h.finalize())
}

/// Why the chain is broken, at the first row where it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChainBreak {
    /// The row's content does not match its own hash: it was edited.
    Altered { id: i64 },
    /// The row does not point at the previous row's hash: a row before it was edited or removed.
    Unlinked { id: i64 },
    /// Ids jump: rows between `after_id` and `id` were removed.
    Missing { after_id: i64, id: i64 },
    /// The newest row is not the one the chain head records: the newest rows were removed or
    /// the head was edited.
    HeadMismatch { last_id: Option<i64> },
}

/// Result of a verification pass.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChainReport {
    pub checked: u64,
    pub first_break: Option<ChainBreak>,
}

impl ChainReport {
    pub fn ok(&self) -> bool {
        self.first_break.is_none()
    }
}

/// Incremental verifier: feed rows in id order (the table may be read in pages), then call
/// [`ChainVerifier::finish`] with the recorded head.
#[derive(Debug, Clone)]
pub struct ChainVerifier {
    prev_hash: String,
    prev_id: Option<i64>,
    checked: u64,
    first_break: Option<ChainBreak>,
}

impl Default for ChainVerifier {
    fn default() -> Self {
        Self::new()
    }
}

impl ChainVerifier {
    pub fn new() -> Self {
        Self {
            prev_hash: GENESIS_HASH.to_string(),
            prev_id: None,
            checked: 0,
            first_break: None,
        }
    }

    /// Checks one row. Returns false once the chain is known to be broken (further rows are
    /// not needed).
    pub fn push(&mut self, row: &StoredRow<'_>) -> bool {
        if self.first_break.is_some() {
            return false;
        }
        self.checked += 1;
        let id = row.fields.id;
        if let Some(prev) = self.prev_id
            && id != prev + 1
        {
            self.first_break = Some(ChainBreak::Missing { after_id: prev, id });
            return false;
        }
        if row.prev_hash != self.prev_hash {
            self.first_break = Some(ChainBreak::Unlinked { id });
            return false;
        }
        if row_hash(row.prev_hash, &row.fields) != row.hash {
            self.first_break = Some(ChainBreak::Altered { id });
            return false;
        }
        self.prev_hash = row.hash.to_string();
        self.prev_id = Some(id);
        true
    }

    /// Ends the pass: the last row seen must be the recorded head (`None` for an empty log).
    pub fn finish(mut self, head: Option<(i64, &str)>) -> ChainReport {
        if self.first_break.is_none() {
            let last = self.prev_id.map(|id| (id, self.prev_hash.as_str()));
            let matches = match (last, head) {
                (None, None) => true,
                (Some((a, ha)), Some((b, hb))) => a == b && ha == hb,
                _ => false,
            };
            if !matches {
                self.first_break = Some(ChainBreak::HeadMismatch {
                    last_id: self.prev_id,
                });
            }
        }
        ChainReport {
            checked: self.checked,
            first_break: self.first_break,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    struct Owned {
        id: i64,
        at: String,
        after: String,
        prev: String,
        hash: String,
    }

    fn fields(o: &Owned) -> AuditFields<'_> {
        AuditFields {
            id: o.id,
            at: &o.at,
            actor_id: Some(1),
            actor_login: "admin",
            entity_type: "user",
            entity_id: "7",
            action: "update",
            before: None,
            after: Some(&o.after),
            request_id: "req",
        }
    }

    fn build(n: i64) -> Vec<Owned> {
        let mut rows = Vec::new();
        let mut prev = GENESIS_HASH.to_string();
        for id in 1..=n {
            let mut o = Owned {
                id,
                at: format!("2026-11-27T10:00:{:02}.000000Z", id % 60),
                after: format!("{{\"n\":{id}}}"),
                prev: prev.clone(),
                hash: String::new(),
            };
            o.hash = row_hash(&prev, &fields(&o));
            prev = o.hash.clone();
            rows.push(o);
        }
        rows
    }

    fn verify(rows: &[Owned]) -> ChainReport {
        let mut v = ChainVerifier::new();
        for o in rows {
            v.push(&StoredRow {
                fields: fields(o),
                prev_hash: &o.prev,
                hash: &o.hash,
            });
        }
        let head = rows.last().map(|o| (o.id, o.hash.as_str()));
        v.finish(head)
    }

    #[test]
    fn an_untouched_chain_verifies() {
        let rows = build(20);
        assert_eq!(
            verify(&rows),
            ChainReport {
                checked: 20,
                first_break: None
            }
        );
    }

    #[test]
    fn an_empty_log_with_no_head_verifies() {
        assert!(ChainVerifier::new().finish(None).ok());
    }

    #[test]
    fn an_edited_row_is_reported_by_its_id() {
        let mut rows = build(10);
        rows[4].after = "{\"n\":999}".into();
        assert_eq!(
            verify(&rows).first_break,
            Some(ChainBreak::Altered { id: 5 })
        );
    }

    #[test]
    fn a_removed_row_is_reported_as_a_gap() {
        let mut rows = build(10);
        rows.remove(3);
        assert_eq!(
            verify(&rows).first_break,
            Some(ChainBreak::Missing { after_id: 3, id: 5 })
        );
    }

    #[test]
    fn removing_the_newest_row_is_caught_by_the_head() {
        let rows = build(10);
        let head = (rows[9].id, rows[9].hash.clone());
        let mut v = ChainVerifier::new();
        for o in &rows[..9] {
            v.push(&StoredRow {
                fields: fields(o),
                prev_hash: &o.prev,
                hash: &o.hash,
            });
        }
        let r = v.finish(Some((head.0, &head.1)));
        assert_eq!(
            r.first_break,
            Some(ChainBreak::HeadMismatch { last_id: Some(9) })
        );
    }

    #[test]
    fn a_rehashed_edit_still_breaks_the_next_link() {
        // A forger who edits a row and recomputes its hash still breaks the following row.
        let mut rows = build(5);
        rows[1].after = "{\"n\":42}".into();
        let prev = rows[1].prev.clone();
        rows[1].hash = row_hash(&prev, &fields(&rows[1]));
        assert_eq!(
            verify(&rows).first_break,
            Some(ChainBreak::Unlinked { id: 3 })
        );
    }

    proptest! {
        #[test]
        fn any_single_edit_is_detected(n in 2i64..40, victim in 0usize..40, text in "[a-z]{1,8}") {
            let mut rows = build(n);
            let i = victim % rows.len();
            rows[i].after = format!("{{\"x\":\"{text}\"}}");
            prop_assert!(!verify(&rows).ok());
        }

        #[test]
        fn field_boundaries_matter(a in "[a-z]{0,6}", b in "[a-z]{1,6}") {
            let base = AuditFields { id: 1, at: "t", actor_id: None, actor_login: "", entity_type: "", entity_id: "", action: "", before: None, after: None, request_id: "" };
            let ab = format!("{a}{b}");
            let x = AuditFields { entity_type: &ab, entity_id: "", ..base };
            let y = AuditFields { entity_type: &a, entity_id: &b, ..base };
            prop_assert_ne!(row_hash(GENESIS_HASH, &x), row_hash(GENESIS_HASH, &y));
        }
    }
}
