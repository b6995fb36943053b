//! The state file: orders, refunds, invoices and notification deliveries (with every attempt) in
//! SQLite, so a sandbox killed at any moment restarts with everything a client was told about.
//!
//! The store in memory stays the source of truth while running; this module only writes the rows
//! an operation changed, in one transaction, inside the same critical section as the change, and
//! reads everything back at start. Orders and invoices are stored as the JSON of their in-memory
//! struct (with their keys as columns, so SQLite itself refuses a duplicate reference);
//! deliveries and attempts have real columns because they are what resuming works from.
//!
//! The file is marked with an `application_id` and a schema version (`user_version`), and held
//! with an exclusive lock while a sandbox runs: a foreign, newer, corrupt or busy file is refused
//! with a clear [`StateError`] instead of being overwritten.

use std::fmt;
use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, OptionalExtension, params};

use crate::records::{Attempt, Delivery, DeliveryState, Invoice, Order, Owner};

/// `LATP` in ASCII: marks a file as a latipay sandbox state file.
const APPLICATION_ID: i64 = 0x4C41_5450;
/// The schema this sandbox writes and reads. Bump it, and migrate in `Journal::open`, when a
/// table changes.
pub const SCHEMA_VERSION: i64 = 1;

const SCHEMA: &str = "
CREATE TABLE meta (
    key TEXT PRIMARY KEY,
    value INTEGER NOT NULL
);
CREATE TABLE orders (
    order_id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL,
    merchant_reference TEXT NOT NULL,
    data TEXT NOT NULL,
    UNIQUE (user_id, merchant_reference)
);
CREATE TABLE invoices (
    invoice_id TEXT PRIMARY KEY,
    data TEXT NOT NULL
);
CREATE TABLE deliveries (
    id INTEGER PRIMARY KEY,
    owner_kind TEXT NOT NULL CHECK (owner_kind IN ('order', 'invoice')),
    owner_id TEXT NOT NULL,
    status TEXT NOT NULL,
    url TEXT NOT NULL,
    body TEXT NOT NULL,
    state TEXT NOT NULL
);
CREATE TABLE attempts (
    delivery_id INTEGER NOT NULL,
    idx INTEGER NOT NULL,
    number INTEGER NOT NULL,
    at TEXT NOT NULL,
    http_status INTEGER,
    response_body TEXT NOT NULL,
    error TEXT,
    delivered INTEGER NOT NULL,
    PRIMARY KEY (delivery_id, idx)
);
INSERT INTO meta (key, value) VALUES ('next_id', 1);
";

/// Why a state file cannot be used. Its text names the file and says what to do.
#[derive(Debug)]
#[non_exhaustive]
pub enum StateError {
    /// The file is not an SQLite database, or is damaged.
    Corrupt {
        /// The file.
        path: PathBuf,
        /// What SQLite found.
        detail: String,
    },
    /// An SQLite database, but not one a sandbox wrote.
    Foreign {
        /// The file.
        path: PathBuf,
    },
    /// Written by a newer sandbox with a schema this one does not know.
    Newer {
        /// The file.
        path: PathBuf,
        /// Its schema version.
        version: i64,
    },
    /// Another sandbox holds the file.
    Busy {
        /// The file.
        path: PathBuf,
    },
    /// A row that cannot be read back.
    BadRow {
        /// The file.
        path: PathBuf,
        /// The table and key of the row.
        row: String,
        /// Why.
        detail: String,
    },
    /// Opening, reading or writing failed (permissions, disk full...).
    Sqlite {
        /// The file.
        path: PathBuf,
        /// What SQLite said.
        detail: String,
    },
}

impl fmt::Display for StateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StateError::Corrupt { path, detail } => write!(
                f,
                "state file {}: not a readable SQLite database ({detail}); give --state a new file name, or move this one away",
                path.display()
            ),
            StateError::Foreign { path } => write!(
                f,
                "state file {}: an SQLite database of another program, not a latipay sandbox state file; it was left untouched",
                path.display()
            ),
            StateError::Newer { path, version } => write!(
                f,
                "state file {}: schema version {version}, written by a newer latipay sandbox (this one reads version {SCHEMA_VERSION})",
                path.display()
            ),
            StateError::Busy { path } => write!(
                f,
                "state file {}: in use by another running sandbox",
                path.display()
            ),
            StateError::BadRow { path, row, detail } => write!(
                f,
                "state file {}: row {row} cannot be read back: {detail}",
                path.display()
            ),
            StateError::Sqlite { path, detail } => {
                write!(f, "state file {}: {detail}", path.display())
            }
        }
    }
}

impl std::error::Error for StateError {}

impl From<StateError> for std::io::Error {
    fn from(e: StateError) -> std::io::Error {
        std::io::Error::new(std::io::ErrorKind::InvalidData, e)
    }
}

/// What a state file held when it was opened.
#[derive(Debug, Default)]
pub(crate) struct Loaded {
    pub orders: Vec<Order>,
    pub invoices: Vec<Invoice>,
    pub deliveries: Vec<Delivery>,
    /// The id counter: every id in the file is below it.
    pub next_id: u64,
}

/// The rows one commit writes.
pub(crate) struct Changes<'a> {
    pub cleared: bool,
    pub orders: Vec<&'a Order>,
    pub invoices: Vec<&'a Invoice>,
    pub removed_invoices: Vec<&'a str>,
    pub deliveries: Vec<&'a Delivery>,
    pub attempts: Vec<(u64, &'a Attempt)>,
    pub next_id: u64,
}

/// An open state file, held exclusively.
pub struct Journal {
    conn: Connection,
    path: PathBuf,
}

impl fmt::Debug for Journal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Journal")
            .field("path", &self.path)
            .finish_non_exhaustive()
    }
}

fn state_text(s: DeliveryState) -> &'static str {
    match s {
        DeliveryState::Retrying => "retrying",
        DeliveryState::Delivered => "delivered",
        DeliveryState::GaveUp => "gave_up",
        DeliveryState::Stopped => "stopped",
    }
}

fn state_of(text: &str) -> Option<DeliveryState> {
    Some(match text {
        "retrying" => DeliveryState::Retrying,
        "delivered" => DeliveryState::Delivered,
        "gave_up" => DeliveryState::GaveUp,
        "stopped" => DeliveryState::Stopped,
        _ => return None,
    })
}

fn int(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

impl Journal {
    /// Opens (or creates) the state file at `path` and reads everything in it.
    pub(crate) fn open(path: &Path) -> Result<(Journal, Loaded), StateError> {
        let sqlite = |e: rusqlite::Error| classify(path, e);
        let conn = Connection::open(path).map_err(sqlite)?;
        conn.busy_timeout(Duration::from_millis(500))
            .map_err(sqlite)?;
        // Held until the sandbox exits (or is killed: the OS drops the lock), so two sandboxes
        // never write one file. Set before the first read so WAL needs no shared memory.
        conn.pragma_update(None, "locking_mode", "EXCLUSIVE")
            .map_err(sqlite)?;
        let app_id: i64 = conn
            .pragma_query_value(None, "application_id", |r| r.get(0))
            .map_err(sqlite)?;
        let version: i64 = conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .map_err(sqlite)?;
        let tables: i64 = conn
            .query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get(0))
            .map_err(sqlite)?;
        let mut journal = Journal {
            conn,
            path: path.to_owned(),
        };
        if app_id == 0 && version == 0 && tables == 0 {
            journal.create()?;
        } else if app_id != APPLICATION_ID {
            return Err(StateError::Foreign {
                path: path.to_owned(),
            });
        } else if version > SCHEMA_VERSION {
            return Err(StateError::Newer {
                path: path.to_owned(),
                version,
            });
        } else if version < 1 {
            return Err(StateError::Corrupt {
                path: path.to_owned(),
                detail: format!("schema version {version}"),
            });
        }
        let check: String = journal
            .conn
            .query_row("PRAGMA quick_check", [], |r| r.get(0))
            .map_err(sqlite)?;
        if check != "ok" {
            return Err(StateError::Corrupt {
                path: path.to_owned(),
                detail: check,
            });
        }
        // WAL with synchronous=NORMAL: a commit is in the WAL (the OS has it) before the client
        // is answered, so it survives any kill of the process, SIGKILL included. It is not
        // fsynced on every commit: after a power loss or an OS crash the last commits may be
        // rolled back. FULL would fsync each commit, about 30 times slower under retrying
        // deliveries, which a development sandbox does not need.
        journal
            .conn
            .pragma_update(None, "journal_mode", "WAL")
            .map_err(sqlite)?;
        journal
            .conn
            .pragma_update(None, "synchronous", "NORMAL")
            .map_err(sqlite)?;
        // Take the write lock now: a second sandbox on the same file fails at start.
        journal
            .conn
            .execute("UPDATE meta SET value = value WHERE key = 'next_id'", [])
            .map_err(sqlite)?;
        let loaded = journal.load()?;
        Ok((journal, loaded))
    }

    fn create(&mut self) -> Result<(), StateError> {
        let path = self.path.clone();
        let sqlite = |e: rusqlite::Error| classify(&path, e);
        let tx = self.conn.transaction().map_err(sqlite)?;
        tx.execute_batch(SCHEMA).map_err(sqlite)?;
        tx.pragma_update(None, "application_id", APPLICATION_ID)
            .map_err(sqlite)?;
        tx.pragma_update(None, "user_version", SCHEMA_VERSION)
            .map_err(sqlite)?;
        tx.commit().map_err(sqlite)
    }

    fn bad_row(&self, row: String, detail: impl fmt::Display) -> StateError {
        StateError::BadRow {
            path: self.path.clone(),
            row,
            detail: detail.to_string(),
        }
    }

    fn load(&self) -> Result<Loaded, StateError> {
        let sqlite = |e: rusqlite::Error| classify(&self.path, e);
        let mut loaded = Loaded::default();
        let rows = |sql: &str| -> Result<Vec<(String, String)>, StateError> {
            let mut stmt = self.conn.prepare(sql).map_err(sqlite)?;
            let rows = stmt
                .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
                .map_err(sqlite)?;
            rows.collect::<Result<_, _>>().map_err(sqlite)
        };
        for (key, data) in rows("SELECT order_id, data FROM orders ORDER BY rowid")? {
            let order: Order = serde_json::from_str(&data)
                .map_err(|e| self.bad_row(format!("orders `{key}`"), e))?;
            loaded.orders.push(order);
        }
        for (key, data) in rows("SELECT invoice_id, data FROM invoices ORDER BY rowid")? {
            let invoice: Invoice = serde_json::from_str(&data)
                .map_err(|e| self.bad_row(format!("invoices `{key}`"), e))?;
            loaded.invoices.push(invoice);
        }
        {
            let mut stmt = self
                .conn
                .prepare(
                    "SELECT id, owner_kind, owner_id, status, url, body, state FROM deliveries ORDER BY id",
                )
                .map_err(sqlite)?;
            let rows = stmt
                .query_map([], |r| {
                    Ok((
                        r.get::<_, i64>(0)?,
                        r.get::<_, String>(1)?,
                        r.get::<_, String>(2)?,
                        r.get::<_, String>(3)?,
                        r.get::<_, String>(4)?,
                        r.get::<_, String>(5)?,
                        r.get::<_, String>(6)?,
                    ))
                })
                .map_err(sqlite)?;
            for row in rows {
                let (id, kind, owner_id, status, url, body, state) = row.map_err(sqlite)?;
                let key = format!("deliveries {id}");
                let owner = match kind.as_str() {
                    "order" => Owner::Order(owner_id),
                    "invoice" => Owner::Invoice(owner_id),
                    other => return Err(self.bad_row(key, format!("owner kind `{other}`"))),
                };
                let state = state_of(&state)
                    .ok_or_else(|| self.bad_row(key.clone(), format!("state `{state}`")))?;
                let id = u64::try_from(id).map_err(|e| self.bad_row(key, e))?;
                loaded.deliveries.push(Delivery {
                    id,
                    owner,
                    status,
                    url,
                    body,
                    state,
                    attempts: Vec::new(),
                });
            }
        }
        let mut stmt = self
            .conn
            .prepare(
                "SELECT delivery_id, number, at, http_status, response_body, error, delivered FROM attempts ORDER BY delivery_id, idx",
            )
            .map_err(sqlite)?;
        let rows = stmt
            .query_map([], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, i64>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, Option<i64>>(3)?,
                    r.get::<_, String>(4)?,
                    r.get::<_, Option<String>>(5)?,
                    r.get::<_, bool>(6)?,
                ))
            })
            .map_err(sqlite)?;
        for row in rows {
            let (delivery_id, number, at, http_status, response_body, error, delivered) =
                row.map_err(sqlite)?;
            let key = format!("attempts {delivery_id}/{number}");
            let delivery = loaded
                .deliveries
                .iter_mut()
                .find(|d| i64::try_from(d.id).is_ok_and(|id| id == delivery_id))
                .ok_or_else(|| self.bad_row(key.clone(), "no such delivery"))?;
            delivery.attempts.push(Attempt {
                number: u32::try_from(number).map_err(|e| self.bad_row(key.clone(), e))?,
                at,
                http_status: http_status
                    .map(u16::try_from)
                    .transpose()
                    .map_err(|e| self.bad_row(key, e))?,
                response_body,
                error,
                delivered,
            });
        }
        let next_id: Option<i64> = self
            .conn
            .query_row("SELECT value FROM meta WHERE key = 'next_id'", [], |r| {
                r.get(0)
            })
            .optional()
            .map_err(sqlite)?;
        loaded.next_id = next_id.and_then(|n| u64::try_from(n).ok()).unwrap_or(1);
        Ok(loaded)
    }

    /// Writes `changes` in one transaction: all of them or, on error, none.
    pub(crate) fn write(&mut self, changes: &Changes<'_>) -> Result<(), StateError> {
        let path = self.path.clone();
        let sqlite = |e: rusqlite::Error| classify(&path, e);
        let tx = self.conn.transaction().map_err(sqlite)?;
        if changes.cleared {
            tx.execute_batch(
                "DELETE FROM attempts; DELETE FROM deliveries; DELETE FROM invoices; DELETE FROM orders;",
            )
            .map_err(sqlite)?;
        }
        {
            let mut upsert = tx
                .prepare_cached(
                    "INSERT INTO orders (order_id, user_id, merchant_reference, data) VALUES (?1, ?2, ?3, ?4)
                     ON CONFLICT (order_id) DO UPDATE SET data = excluded.data",
                )
                .map_err(sqlite)?;
            for o in &changes.orders {
                upsert
                    .execute(params![
                        o.order_id,
                        o.user_id,
                        o.merchant_reference,
                        encode(&path, *o)?
                    ])
                    .map_err(sqlite)?;
            }
            let mut upsert = tx
                .prepare_cached(
                    "INSERT INTO invoices (invoice_id, data) VALUES (?1, ?2)
                     ON CONFLICT (invoice_id) DO UPDATE SET data = excluded.data",
                )
                .map_err(sqlite)?;
            for i in &changes.invoices {
                upsert
                    .execute(params![i.invoice_id, encode(&path, *i)?])
                    .map_err(sqlite)?;
            }
            let mut delete = tx
                .prepare_cached("DELETE FROM invoices WHERE invoice_id = ?1")
                .map_err(sqlite)?;
            for id in &changes.removed_invoices {
                delete.execute(params![id]).map_err(sqlite)?;
            }
            let mut upsert = tx
                .prepare_cached(
                    "INSERT INTO deliveries (id, owner_kind, owner_id, status, url, body, state)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
                     ON CONFLICT (id) DO UPDATE SET state = excluded.state",
                )
                .map_err(sqlite)?;
            for d in &changes.deliveries {
                let (kind, owner_id) = match &d.owner {
                    Owner::Order(id) => ("order", id),
                    Owner::Invoice(id) => ("invoice", id),
                };
                upsert
                    .execute(params![
                        int(d.id),
                        kind,
                        owner_id,
                        d.status,
                        d.url,
                        d.body,
                        state_text(d.state)
                    ])
                    .map_err(sqlite)?;
            }
            let mut insert = tx
                .prepare_cached(
                    "INSERT OR REPLACE INTO attempts
                     (delivery_id, idx, number, at, http_status, response_body, error, delivered)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                )
                .map_err(sqlite)?;
            for (delivery_id, a) in &changes.attempts {
                // Attempts are numbered from 1 with no gap, so the number is the index + 1.
                let idx = i64::from(a.number) - 1;
                insert
                    .execute(params![
                        int(*delivery_id),
                        idx,
                        a.number,
                        a.at,
                        a.http_status,
                        a.response_body,
                        a.error,
                        a.delivered
                    ])
                    .map_err(sqlite)?;
            }
            tx.execute(
                "UPDATE meta SET value = max(value, ?1) WHERE key = 'next_id'",
                params![int(changes.next_id)],
            )
            .map_err(sqlite)?;
        }
        tx.commit().map_err(sqlite)
    }
}

/// Turns an SQLite error into what it means for the user.
fn classify(path: &Path, e: rusqlite::Error) -> StateError {
    use rusqlite::ErrorCode;
    let path = path.to_owned();
    match e.sqlite_error_code() {
        Some(ErrorCode::NotADatabase | ErrorCode::DatabaseCorrupt) => StateError::Corrupt {
            path,
            detail: e.to_string(),
        },
        Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => StateError::Busy { path },
        _ => StateError::Sqlite {
            path,
            detail: e.to_string(),
        },
    }
}

/// The JSON text of a row; a failure (which the stored types cannot produce) fails the commit
/// instead of panicking.
fn encode(path: &Path, v: &impl serde::Serialize) -> Result<String, StateError> {
    serde_json::to_string(v).map_err(|e| StateError::Sqlite {
        path: path.to_owned(),
        detail: format!("cannot encode a row: {e}"),
    })
}
