//! `latipay sandbox --state FILE`, killed with SIGKILL again and again in the middle of
//! creates and notification deliveries: after each restart on the same file every order a
//! client was answered about is there, with its refunds and every recorded delivery attempt;
//! when the merchant finally answers `sent`, every notification is delivered, exactly once, with
//! the body that was recorded.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use latipay_spec::inbound::FormPairs;
use latipay_spec::{ApiKey, SigningKey};
use serde_json::Value;

use super::common::KEY;
use super::net::{Answer, Merchant, SandboxProcess};

/// What an order must look like after any restart.
#[derive(Debug, Clone)]
struct Expect {
    status: &'static str,
    refunded: &'static str,
    notifications: usize,
}

fn transaction<'a>(
    reference: &'a str,
    amount: &'a str,
    callback: &'a str,
) -> Vec<(&'a str, &'a str)> {
    vec![
        ("payment_method", "alipay"),
        ("amount", amount),
        ("return_url", "https://merchantsite.com/checkout"),
        ("callback_url", callback),
        ("merchant_reference", reference),
        ("ip", "122.122.122.1"),
        ("product_name", "Pinot Noir, Otago"),
    ]
}

fn create(sb: &SandboxProcess, reference: &str, amount: &str, callback: &str) {
    let v = sb.call(
        "transaction",
        KEY,
        &transaction(reference, amount, callback),
    );
    assert_eq!(v["code"], 0, "{reference}: {v}");
}

/// Attempts of each delivery, by delivery id.
type Attempts = HashMap<u64, Vec<Value>>;

/// Checks every expected order against the running sandbox, and that the attempts recorded
/// before (`before`) are still the first attempts; returns the attempts now.
fn check(sb: &SandboxProcess, expected: &BTreeMap<String, Expect>, before: &Attempts) -> Attempts {
    let listed = sb.json("/sandbox/orders");
    let listed = listed["orders"].as_array().expect("orders");
    let ids: HashSet<&str> = listed
        .iter()
        .map(|o| o["order_id"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(ids.len(), listed.len(), "order ids are never reused");
    let mut now = Attempts::new();
    for (reference, e) in expected {
        let v = sb.json(&format!("/sandbox/orders/{reference}"));
        assert_eq!(v["status"], e.status, "{reference}: {v}");
        assert_eq!(v["refunded"], e.refunded, "{reference}: {v}");
        let deliveries = v["notifications"].as_array().expect("notifications");
        assert_eq!(deliveries.len(), e.notifications, "{reference}: {v}");
        for d in deliveries {
            let id = d["id"].as_u64().expect("id");
            let attempts = d["attempts"].as_array().expect("attempts").clone();
            for (i, a) in attempts.iter().enumerate() {
                assert_eq!(a["number"].as_u64(), Some(i as u64 + 1), "{reference}: {d}");
            }
            if let Some(prev) = before.get(&id) {
                assert!(
                    attempts.len() >= prev.len() && attempts[..prev.len()] == prev[..],
                    "{reference}: attempts recorded before the kill are kept: {prev:?} -> {attempts:?}"
                );
            }
            now.insert(id, attempts);
        }
    }
    now
}

/// Polls until every notification of `references` has at least `min` attempts.
fn wait_attempts(sb: &SandboxProcess, references: &[String], min: usize, deadline: Instant) {
    for reference in references {
        loop {
            let v = sb.json(&format!("/sandbox/orders/{reference}"));
            let ok = v["notifications"].as_array().is_some_and(|ds| {
                ds.iter()
                    .all(|d| d["attempts"].as_array().is_some_and(|a| a.len() >= min))
            });
            if ok {
                break;
            }
            assert!(
                Instant::now() < deadline,
                "{reference} never got {min} attempts: {v}"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

#[test]
fn sigkill_in_the_middle_loses_no_order_and_no_notification() {
    let deadline = Instant::now() + Duration::from_secs(90);
    let dir = tempfile::Builder::new()
        .prefix("latipay-durable-")
        .tempdir()
        .expect("a temporary directory");
    let state = dir.path().join("sandbox.db");
    let state_arg = state.to_string_lossy().into_owned();
    let args = [
        "--state",
        state_arg.as_str(),
        "--notify-interval",
        "30ms",
        "--quiet",
    ];
    let merchant_addr = Merchant::reserve();
    let callback = Merchant::url_of(merchant_addr);
    let mut expected: BTreeMap<String, Expect> = BTreeMap::new();
    let paid = Expect {
        status: "paid",
        refunded: "0.00",
        notifications: 1,
    };
    let (mut kills, mut starts) = (0, 0);
    let mut stderr_all = String::new();

    // Round 1: the merchant is down. 30 orders paid at once (.52, a notification each), 13
    // left pending; kill once every notification has been tried at least twice.
    let sb = SandboxProcess::start(&args);
    starts += 1;
    let mut round = Vec::new();
    for n in 0..43 {
        let reference = format!("r1-{n:02}");
        let pending = n >= 30;
        create(
            &sb,
            &reference,
            if pending { "10.00" } else { "10.52" },
            &callback,
        );
        let e = if pending {
            Expect {
                status: "pending",
                refunded: "0.00",
                notifications: 0,
            }
        } else {
            paid.clone()
        };
        expected.insert(reference.clone(), e);
        round.push(reference);
    }
    wait_attempts(&sb, &round, 2, deadline);
    let attempts = check(&sb, &expected, &Attempts::new());
    stderr_all += &sb.kill();
    kills += 1;

    // Round 2: everything is back, attempts included. The merchant comes up answering 500.
    // Pending orders are paid (10) or canceled (3), five paid orders are partly refunded, 20
    // more orders are created; kill once each new notification was refused at least once.
    let sb = SandboxProcess::start(&args);
    starts += 1;
    let attempts = check(&sb, &expected, &attempts);
    let merchant = Merchant::start_on(merchant_addr, Answer::Fail);
    assert_eq!(merchant.url, callback);
    let mut round = Vec::new();
    for n in 30..43 {
        let reference = format!("r1-{n:02}");
        if n < 40 {
            let (status, body) = sb.post(&format!("/sandbox/orders/{reference}/pay"));
            assert_eq!(status, 200, "{body}");
            expected.insert(reference.clone(), paid.clone());
        } else {
            let v = sb.call("cancel", KEY, &[("merchant_reference", &reference)]);
            assert_eq!(v["code"], 0, "{v}");
            expected.insert(
                reference.clone(),
                Expect {
                    status: "canceled",
                    refunded: "0.00",
                    notifications: 1,
                },
            );
        }
        round.push(reference);
    }
    for n in 0..5 {
        let reference = format!("r1-{n:02}");
        let order_id = sb.json(&format!("/sandbox/orders/{reference}"))["order_id"]
            .as_str()
            .unwrap()
            .to_owned();
        let v = sb.call(
            "refund",
            KEY,
            &[
                ("order_id", &order_id),
                ("refund_amount", "1.00"),
                ("reference", "partial"),
            ],
        );
        assert_eq!(v["code"], 0, "{v}");
        expected.insert(
            reference,
            Expect {
                refunded: "1.00",
                ..paid.clone()
            },
        );
    }
    for n in 0..20 {
        let reference = format!("r2-{n:02}");
        create(&sb, &reference, "20.52", &callback);
        expected.insert(reference.clone(), paid.clone());
        round.push(reference);
    }
    wait_attempts(&sb, &round, 1, deadline);
    let mut attempts = check(&sb, &expected, &attempts);
    assert!(merchant.requests() > 0, "the merchant was tried");
    stderr_all += &sb.kill();
    kills += 1;

    // Rounds 3 to 7: write-ahead. Orders are created and the sandbox is killed right after the
    // last answer, without waiting for anything.
    for r in 3..8 {
        let sb = SandboxProcess::start(&args);
        starts += 1;
        attempts = check(&sb, &expected, &attempts);
        for n in 0..10 {
            let reference = format!("r{r}-{n:02}");
            create(&sb, &reference, "3.52", &callback);
            expected.insert(reference, paid.clone());
        }
        stderr_all += &sb.kill();
        kills += 1;
    }

    // Round 8: killed while four clients are creating orders. Every answered create must be
    // there; one created but not answered may be there too (then it is delivered as well).
    let sb = SandboxProcess::start(&args);
    starts += 1;
    attempts = check(&sb, &expected, &attempts);
    let answered = Arc::new(Mutex::new(Vec::<String>::new()));
    let stop = Arc::new(AtomicBool::new(false));
    let sb = Arc::new(sb);
    let workers: Vec<_> = (0..4)
        .map(|w| {
            let (sb, answered, stop, callback) =
                (sb.clone(), answered.clone(), stop.clone(), callback.clone());
            std::thread::spawn(move || {
                let mut n = 0;
                while !stop.load(Ordering::SeqCst) {
                    let reference = format!("c-{w}-{n:03}");
                    n += 1;
                    match sb.try_call(
                        "transaction",
                        KEY,
                        &transaction(&reference, "4.52", &callback),
                    ) {
                        Ok(v) if v["code"] == 0 => answered.lock().unwrap().push(reference),
                        Ok(v) => panic!("{reference}: {v}"),
                        Err(_) => break,
                    }
                }
            })
        })
        .collect();
    while answered.lock().unwrap().len() < 40 {
        assert!(Instant::now() < deadline, "creates too slow");
        std::thread::sleep(Duration::from_millis(2));
    }
    // SIGKILL through the process id: the workers still hold the handle.
    let pid = sb.child.id();
    let killed = std::process::Command::new("kill")
        .args(["-KILL", &pid.to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    kills += 1;
    stop.store(true, Ordering::SeqCst);
    for w in workers {
        w.join().expect("worker");
    }
    stderr_all += &sb.stderr.lock().unwrap();
    drop(sb);
    let answered = answered.lock().unwrap().clone();
    for reference in &answered {
        expected.insert(reference.clone(), paid.clone());
    }

    // Final start: everything is there; orders created but never answered are adopted.
    let sb = SandboxProcess::start(&args);
    starts += 1;
    let listed = sb.json("/sandbox/orders");
    let mut unanswered = 0;
    for o in listed["orders"].as_array().unwrap() {
        let reference = o["merchant_reference"].as_str().unwrap();
        if !expected.contains_key(reference) {
            assert!(reference.starts_with("c-"), "unexpected order {reference}");
            unanswered += 1;
            expected.insert(reference.to_owned(), paid.clone());
        }
    }
    assert_eq!(
        listed["orders"].as_array().unwrap().len(),
        expected.len(),
        "no order lost"
    );
    check(&sb, &expected, &attempts);

    // The merchant now acknowledges: every notification is delivered, once, as recorded.
    merchant.set(Answer::Sent);
    let notification = latipay_spec::builtin().inbound("notification").unwrap();
    let key = SigningKey::new(ApiKey::new(KEY));
    let mut recorded: HashMap<String, String> = HashMap::new();
    let mut attempts_total = 0;
    for (reference, e) in &expected {
        let v = loop {
            let v = sb.json(&format!("/sandbox/orders/{reference}"));
            let done = v["notifications"]
                .as_array()
                .is_some_and(|ds| ds.iter().all(|d| d["state"] == "delivered"));
            if done {
                break v;
            }
            assert!(
                Instant::now() < deadline,
                "{reference} never delivered: {v}"
            );
            std::thread::sleep(Duration::from_millis(20));
        };
        for d in v["notifications"].as_array().unwrap() {
            let attempts = d["attempts"].as_array().unwrap();
            attempts_total += attempts.len();
            let delivered: Vec<bool> = attempts
                .iter()
                .map(|a| a["delivered"].as_bool().unwrap())
                .collect();
            assert_eq!(
                delivered.iter().filter(|x| **x).count(),
                1,
                "{reference}: only the last attempt counts: {d}"
            );
            assert_eq!(delivered.last(), Some(&true), "{reference}: {d}");
            assert_eq!(d["status"], e.status, "{reference}");
            let body = d["body"].as_str().unwrap().to_owned();
            let form = FormPairs::parse(body.as_bytes()).expect("a form");
            form.verify(notification, &key).expect("signed by Rule B");
            assert!(body.contains(&format!("merchant_reference={reference}&")));
            assert!(recorded.insert(body, reference.clone()).is_none());
        }
    }
    let sent = merchant.sent_counts();
    let expected_notifications: usize = expected.values().map(|e| e.notifications).sum();
    assert_eq!(
        recorded.len(),
        expected_notifications,
        "no notification lost"
    );
    for (body, reference) in &recorded {
        assert_eq!(
            sent.get(body),
            Some(&1),
            "{reference}: acknowledged exactly once"
        );
    }
    assert_eq!(sent.len(), recorded.len(), "nothing else was acknowledged");
    let (code, _, err) = sb.terminate();
    assert_eq!(code, Some(0));
    stderr_all += &err;
    assert!(!stderr_all.contains("panicked"), "{stderr_all}");
    eprintln!(
        "figures: kills={kills} starts={starts} orders={} (of which created-but-unanswered={unanswered}) notifications={expected_notifications} delivered={} attempts={attempts_total} merchant_requests={} lost=0",
        expected.len(),
        recorded.len(),
        merchant.requests(),
    );
}
