//! `Config::state`: a sandbox restarted on the same SQLite file has every order, refund,
//! invoice and delivery (with its attempts), resumes undelivered notifications, and refuses a
//! file it cannot use (corrupt, foreign, newer, in use) with a clear error, never a panic.

use serde_json::Value;

use super::common::*;

#[tokio::test]
async fn a_restart_keeps_orders_refunds_invoices_and_resumes_deliveries() {
    let dir = temp_dir("restart");
    let path = dir.path().join("state.db");
    let down = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap()
    };
    let down_url = format!("http://{down}/confirm");

    let sb = durable(&path).await;
    // Paid, refunded in part.
    let merchant = Merchant::start(vec![(200, "sent")]).await;
    let created = call(
        &sb,
        "transaction",
        &transaction_fields("kept", "50.52", &merchant.url),
    )
    .await;
    assert_eq!(code(&created), 0);
    let kept = wait_for(&sb, "kept", |v| delivery_state(v) == "delivered").await;
    let order_id = kept["order_id"].as_str().unwrap().to_owned();
    let refund = call(
        &sb,
        "refund",
        &pairs(&[
            ("order_id", &order_id),
            ("refund_amount", "20.00"),
            ("reference", "r1"),
        ]),
    )
    .await;
    assert_eq!(code(&refund), 0, "{refund}");
    // Pending, and one whose merchant is down.
    assert_eq!(
        code(
            &call(
                &sb,
                "transaction",
                &transaction_fields("waiting", "5.00", &down_url)
            )
            .await
        ),
        0
    );
    assert_eq!(
        code(
            &call(
                &sb,
                "transaction",
                &transaction_fields("undelivered", "5.52", &down_url)
            )
            .await
        ),
        0
    );
    let before = wait_for(&sb, "undelivered", |v| {
        v["notifications"][0]["attempts"]
            .as_array()
            .is_some_and(|a| !a.is_empty())
    })
    .await;
    // Invoices: one paid then refunded, one deleted, one left unpaid.
    let mut invoice_ids = Vec::new();
    for customer in ["inv-a", "inv-b", "inv-c"] {
        let v = call(
            &sb,
            "invoice_create",
            &pairs(&[
                ("amount", "12.00"),
                ("product_name", "Wine"),
                ("customer_order_id", customer),
                ("notify_url", &merchant.url),
            ]),
        )
        .await;
        assert_eq!(code(&v), 0, "{v}");
        invoice_ids.push(v["invoice_id"].as_str().unwrap().to_owned());
    }
    pay_invoice(&sb, &invoice_ids[0], None).await;
    let v = call(
        &sb,
        "invoice_refund",
        &pairs(&[("invoice_id", &invoice_ids[0])]),
    )
    .await;
    assert_eq!(code(&v), 0, "{v}");
    let v = call(
        &sb,
        "invoice_delete",
        &pairs(&[("invoice_id", &invoice_ids[1])]),
    )
    .await;
    assert_eq!(code(&v), 0, "{v}");
    sb.shutdown().await.unwrap();

    let sb = durable(&path).await;
    let v = order(&sb, "kept").await;
    assert_eq!(v["status"], "paid");
    assert_eq!(v["refunded"], "20.00");
    assert_eq!(v["refunds"][0]["reference"], "r1");
    assert_eq!(v["order_id"], order_id.as_str());
    assert_eq!(delivery_state(&v), "delivered");
    assert_eq!(v["redirect_url"], kept["redirect_url"]);
    // Refund rules still hold on the reloaded order: 30.52 left, not more.
    let over = call(
        &sb,
        "refund",
        &pairs(&[("order_id", &order_id), ("refund_amount", "30.53")]),
    )
    .await;
    assert_eq!(code(&over), 559, "{over}");
    // The pending order can still be paid; its reference is still taken.
    assert_eq!(order(&sb, "waiting").await["status"], "pending");
    let again = call(
        &sb,
        "transaction",
        &transaction_fields("waiting", "5.00", &down_url),
    )
    .await;
    assert_eq!(code(&again), 1, "{again}");
    // Ids continue after the file's: a new order never reuses one.
    assert_eq!(
        code(
            &call(
                &sb,
                "transaction",
                &transaction_fields("fresh", "5.00", &down_url)
            )
            .await
        ),
        0
    );
    let all: Value = orders(&sb).await;
    let mut ids: Vec<&str> = all["orders"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["order_id"].as_str().unwrap())
        .collect();
    assert_eq!(ids.len(), 4);
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), 4, "order ids are unique across restarts");
    // Invoices as they were.
    let (_, a) = invoice(&sb, &invoice_ids[0]).await;
    assert_eq!(a["status"], "refunded");
    assert_eq!(a["notifications"][0]["state"], "delivered");
    assert_eq!(invoice(&sb, &invoice_ids[1]).await.0, 404);
    assert_eq!(invoice(&sb, &invoice_ids[2]).await.1["status"], "unpaid");
    // The undelivered notification kept its attempts and resumes: the merchant comes up.
    let v = order(&sb, "undelivered").await;
    let kept_attempts = before["notifications"][0]["attempts"].as_array().unwrap();
    let now = v["notifications"][0]["attempts"].as_array().unwrap();
    assert!(now.len() >= kept_attempts.len());
    assert_eq!(&now[..kept_attempts.len()], &kept_attempts[..]);
    let late = Merchant::start_on(down, vec![(200, "sent")]).await;
    let v = wait_for(&sb, "undelivered", |v| delivery_state(v) == "delivered").await;
    let attempts = v["notifications"][0]["attempts"].as_array().unwrap();
    for (i, a) in attempts.iter().enumerate() {
        assert_eq!(a["number"], i + 1, "numbers continue across the restart");
    }
    assert_eq!(late.bodies().len(), 1);
    assert_eq!(
        late.bodies()[0],
        v["notifications"][0]["body"].as_str().unwrap()
    );

    // A reset is saved too.
    reset(&sb).await;
    sb.shutdown().await.unwrap();
    let sb = durable(&path).await;
    let all: Value = orders(&sb).await;
    assert_eq!(all["orders"].as_array().unwrap().len(), 0);
    sb.shutdown().await.unwrap();
}

#[tokio::test]
async fn unusable_files_are_refused_clearly_and_left_untouched() {
    let dir = temp_dir("refused");

    // Not SQLite at all.
    let garbage = dir.path().join("garbage.db");
    let bytes: Vec<u8> = (0..8192u32).map(|i| (i * 7919 % 251) as u8).collect();
    std::fs::write(&garbage, &bytes).unwrap();
    let e = start_err(&garbage).await;
    assert_eq!(e.kind(), std::io::ErrorKind::InvalidData);
    assert!(
        e.to_string().contains("not a readable SQLite database"),
        "{e}"
    );
    assert!(e.to_string().contains("garbage.db"), "{e}");
    assert_eq!(std::fs::read(&garbage).unwrap(), bytes, "left untouched");

    // A text file.
    let text = dir.path().join("notes.txt");
    std::fs::write(&text, "orders: none\n".repeat(100)).unwrap();
    let e = start_err(&text).await;
    assert!(
        e.to_string().contains("not a readable SQLite database"),
        "{e}"
    );

    // Another program's database.
    let foreign = dir.path().join("foreign.db");
    {
        let c = rusqlite::Connection::open(&foreign).unwrap();
        c.execute_batch("CREATE TABLE people (name TEXT); INSERT INTO people VALUES ('kiri');")
            .unwrap();
    }
    let e = start_err(&foreign).await;
    assert!(e.to_string().contains("another program"), "{e}");
    let c = rusqlite::Connection::open(&foreign).unwrap();
    let n: i64 = c
        .query_row("SELECT count(*) FROM people", [], |r| r.get(0))
        .unwrap();
    assert_eq!(n, 1);
    drop(c);

    // A newer schema.
    let newer = dir.path().join("newer.db");
    durable(&newer).await.shutdown().await.unwrap();
    rusqlite::Connection::open(&newer)
        .unwrap()
        .pragma_update(None, "user_version", 99)
        .unwrap();
    let e = start_err(&newer).await;
    assert!(e.to_string().contains("schema version 99"), "{e}");

    // A damaged file: a real state file cut in half.
    let cut = dir.path().join("cut.db");
    let sb = durable(&cut).await;
    for n in 0..40 {
        let reference = format!("cut-{n}");
        let v = call(
            &sb,
            "transaction",
            &transaction_fields(&reference, "5.00", "https://m.example/c"),
        )
        .await;
        assert_eq!(code(&v), 0);
    }
    sb.shutdown().await.unwrap();
    let full = std::fs::read(&cut).unwrap();
    assert!(full.len() > 8192, "{}", full.len());
    let _ = std::fs::remove_file(dir.path().join("cut.db-wal"));
    std::fs::write(&cut, &full[..full.len() / 2]).unwrap();
    let e = start_err(&cut).await;
    assert_eq!(e.kind(), std::io::ErrorKind::InvalidData, "{e}");

    // A file another running sandbox holds.
    let held = dir.path().join("held.db");
    let first = durable(&held).await;
    let e = start_err(&held).await;
    assert!(
        e.to_string().contains("in use by another running sandbox"),
        "{e}"
    );
    first.shutdown().await.unwrap();
    // Released at shutdown.
    durable(&held).await.shutdown().await.unwrap();
}

#[tokio::test]
async fn the_file_holds_what_the_client_was_told() {
    // Write-ahead, seen from the file: right after the answer, another reader finds the order.
    let dir = temp_dir("ahead");
    let path = dir.path().join("state.db");
    let sb = durable(&path).await;
    let v = call(
        &sb,
        "transaction",
        &transaction_fields("ahead", "7.00", "https://m.example/c"),
    )
    .await;
    assert_eq!(code(&v), 0);
    // Simulate a kill: copy the database and its WAL as they are now, and open the copy.
    let copy = dir.path().join("copy.db");
    std::fs::copy(&path, &copy).unwrap();
    let wal = dir.path().join("state.db-wal");
    if wal.exists() {
        std::fs::copy(&wal, dir.path().join("copy.db-wal")).unwrap();
    }
    let restored = durable(&copy).await;
    assert_eq!(order(&restored, "ahead").await["status"], "pending");
    restored.shutdown().await.unwrap();
    sb.shutdown().await.unwrap();
}
