//! Signing and verification, each beside its reference, in one criterion run (`bench/run` reads
//! the estimates and prints the ratios).

// criterion_group! and criterion_main! generate undocumented public functions.
#![allow(missing_docs)]

use std::hint::black_box;
use std::time::Duration;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use latipay_bench::*;
use latipay_runtime::{Credentials, LatipaySigned, Notification, NotificationRef};

fn signing(c: &mut Criterion) {
    let creds = credentials();
    let (mini, hosted) = (mini_order(), hosted_order());
    sign_group(c, "sign_minialipay", &mini, MINI_MESSAGE, &creds, |o| {
        sdk_sign_mini(o, USER_ID, WALLET_ID, API_KEY)
    });
    sign_group(
        c,
        "sign_transaction",
        &hosted,
        HOSTED_MESSAGE,
        &creds,
        |o| sdk_sign_hosted(o, USER_ID, WALLET_ID, API_KEY),
    );
}

fn sign_group<R: LatipaySigned>(
    c: &mut Criterion,
    name: &str,
    order: &R,
    message: &str,
    creds: &Credentials,
    sdk: impl Fn(&R) -> String,
) {
    let mut g = c.benchmark_group(name);
    g.bench_function("derive_sign", |b| {
        b.iter(|| black_box(order).sign(black_box(creds)).unwrap())
    });
    g.bench_function("derive_write_signature", |b| {
        let mut buf = [0u8; 64];
        b.iter(|| {
            black_box(order)
                .write_signature(black_box(creds), &mut buf)
                .map(|s| s.len())
                .unwrap()
        })
    });
    g.bench_function("naive_hmac", |b| {
        b.iter(|| naive_sign(black_box(API_KEY), black_box(message)))
    });
    g.bench_function("sdk_btreemap", |b| b.iter(|| sdk(black_box(order))));
    g.finish();
}

fn verification(c: &mut Criterion) {
    let creds = credentials();
    let mut expected = [0u8; 32];
    hex::decode_to_slice(NOTIFICATION_SIGNATURE, &mut expected).unwrap();
    let mut g = c.benchmark_group("verify_notification");
    g.bench_function("runtime_verify_ref", |b| {
        b.iter(|| NotificationRef::verify(black_box(NOTIFICATION_BODY.as_bytes()), &creds).unwrap())
    });
    g.bench_function("runtime_verify_owned", |b| {
        b.iter(|| Notification::verify(black_box(NOTIFICATION_BODY.as_bytes()), &creds).unwrap())
    });
    g.bench_function("naive_hmac", |b| {
        b.iter(|| {
            assert!(naive_verify(
                black_box(API_KEY),
                black_box(NOTIFICATION_MESSAGE),
                &expected
            ))
        })
    });
    g.finish();
}

fn scaling(c: &mut Criterion) {
    scaled_group::<Fields5>(c);
    scaled_group::<Fields10>(c);
    scaled_group::<Fields20>(c);
    scaled_group::<Fields40>(c);
}

fn scaled_group<S: Scaled>(c: &mut Criterion) {
    let creds = credentials();
    let mut g = c.benchmark_group(format!("scaling_f{}", S::FIELDS));
    for len in VALUE_LENGTHS {
        let request = S::filled(&value_of(len));
        let message = full_message(&request, &creds);
        g.throughput(Throughput::Bytes(message.len() as u64));
        // The parameter carries the message length, so the report can fit time against bytes.
        let id = format!("v{len}_m{}", message.len());
        g.bench_with_input(BenchmarkId::new("derive", &id), &request, |b, r| {
            let mut buf = [0u8; 64];
            b.iter(|| {
                black_box(r)
                    .write_signature(&creds, &mut buf)
                    .map(|s| s.len())
                    .unwrap()
            })
        });
        g.bench_with_input(BenchmarkId::new("naive", &id), &message, |b, m| {
            b.iter(|| naive_mac(black_box(API_KEY), black_box(m)))
        });
    }
    g.finish();
}

fn config() -> Criterion {
    Criterion::default()
        .warm_up_time(Duration::from_millis(400))
        .measurement_time(Duration::from_millis(1200))
        .sample_size(40)
        .configure_from_args()
}

criterion_group! {
    name = benches;
    config = config();
    targets = signing, verification, scaling
}
criterion_main!(benches);
