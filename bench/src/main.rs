//! The non-criterion parts of the benchmarks, one subcommand each; `bench/run` calls them.
//!
//! - `inputs`: the signing inputs as JSON, for `bench/sign.js` (so node signs the same data).
//! - `e2e`: requests per second, `Client::send` vs raw reqwest with pre-signed bodies, against the
//!   in-process sandbox, at concurrency 1 and 32.
//! - `memory`: the sandbox's signed creates per second and its resident memory per order with
//!   100 000 orders held.
//! - `allocs`: heap allocations per signature (a counting allocator).
//! - `gen-compile DIR [VENDOR]`: writes the compile-time workspace (100 structs, derive vs
//!   serde), our crates from the vendored directory `VENDOR` when given.
//! - `report DIR`: reads every result in DIR and prints the one table.
//! - `profile CASE N`: runs one measured operation N times and nothing else, for a profiler
//!   (`valgrind --tool=callgrind` counts instructions exactly where a shared machine's timings
//!   drift); CASE is one of [`PROFILE_CASES`].
//!
//! Results are written as `name<TAB>value` lines on standard output.

mod compile;
mod e2e;
mod report;

use latipay_tests::counting;

#[global_allocator]
static GLOBAL: counting::Counting = counting::Counting;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let arg = |i: usize| args.get(i).map(String::as_str).unwrap_or("");
    match arg(0) {
        "inputs" => inputs(),
        "e2e" => e2e::run_e2e(),
        "memory" => e2e::run_memory(),
        "allocs" => allocs(),
        "gen-compile" => compile::generate(
            std::path::Path::new(arg(1)),
            Some(arg(2))
                .filter(|v| !v.is_empty())
                .map(std::path::Path::new),
        ),
        "report" => report::report(std::path::Path::new(arg(1))),
        "profile" => profile(arg(1), arg(2).parse().unwrap_or(100_000)),
        other => {
            eprintln!(
                "unknown subcommand `{other}`: inputs | e2e | memory | allocs | gen-compile DIR [VENDOR] | report DIR | profile CASE N"
            );
            std::process::exit(2);
        }
    }
}

fn inputs() {
    use latipay_bench::*;
    let case = |name: &str, message: &str, signature: &str| {
        let data: serde_json::Map<String, serde_json::Value> = signed_pairs(message)
            .into_iter()
            .map(|(n, v)| (n, serde_json::Value::String(v)))
            .collect();
        serde_json::json!({"name": name, "data": data, "signature": signature})
    };
    let out = serde_json::json!({
        "api_key": API_KEY,
        "cases": [
            case("minialipay", MINI_MESSAGE, MINI_SIGNATURE),
            case("transaction", HOSTED_MESSAGE, HOSTED_SIGNATURE),
        ],
    });
    println!("{out}");
}

fn allocs() {
    use latipay_bench::*;
    use latipay_runtime::LatipaySigned;
    let c = credentials();
    let mut buf = [0u8; 64];
    let mut worst_signature = 0;
    let mut worst_write = 0;
    let mut worst_sign = 0;
    type Counts = (usize, usize, usize);
    let mut check = |r: &dyn Fn(&mut [u8; 64]) -> Counts| {
        let (a, b, s) = r(&mut buf);
        worst_signature = worst_signature.max(a);
        worst_write = worst_write.max(b);
        worst_sign = worst_sign.max(s);
    };
    fn count<S: LatipaySigned>(
        r: &S,
        c: &latipay_runtime::Credentials,
        buf: &mut [u8; 64],
    ) -> (usize, usize, usize) {
        let (a, _) = counting::allocations(|| r.signature(c).map(|s| s.0[0]));
        let (b, _) = counting::allocations(|| r.write_signature(c, buf).map(str::len));
        let (s, _) = counting::allocations(|| r.sign(c).map(|s| s.len()));
        (a, b, s)
    }
    let (mini, hosted) = (mini_order(), hosted_order());
    check(&|b| count(&mini, &c, b));
    check(&|b| count(&hosted, &c, b));
    for len in VALUE_LENGTHS {
        let v = value_of(len);
        let (f5, f10, f20, f40) = (
            Fields5::filled(&v),
            Fields10::filled(&v),
            Fields20::filled(&v),
            Fields40::filled(&v),
        );
        check(&|b| count(&f5, &c, b));
        check(&|b| count(&f10, &c, b));
        check(&|b| count(&f20, &c, b));
        check(&|b| count(&f40, &c, b));
    }
    println!("allocs_signature\t{worst_signature}");
    println!("allocs_write_signature\t{worst_write}");
    println!("allocs_sign\t{worst_sign}");
}

/// What `profile` can run.
const PROFILE_CASES: &str = "sign_mini | sign_hosted | naive_mini | naive_hosted | verify_ref | verify_owned | naive_verify | decode_mini | describe_mini | sign_f40_v100 | naive_f40_v100";

/// A minialipay answer as the sandbox gives it, for `decode_mini`: what `Client::send` reads.
const DECODE_BODY: &str = r#"{"code":0,"message":"SUCCESS","messageCN":"\u6210\u529f","gatewaydata":{"service":"create_forex_trade_wap","partner":"2088000000000000","_input_charset":"UTF-8","sign_type":"MD5","sign":"a8f0e2b1c3d4e5f6a7b8c9d0e1f2a3b4","notify_url":"http://127.0.0.1:4000/notify/alipay","return_url":"http://127.0.0.1:4000/notify/sync/alipay","subject":"Pinot Noir, Otago","body":"5399","out_trade_no":"20261126000000123456","currency":"NZD","total_fee":"120.00","supplier":"Latipay Sandbox","secondary_merchant_id":"W00000001111222333","secondary_merchant_name":"Latipay Sandbox","secondary_merchant_industry":"5399","product_code":"NEW_WAP_OVERSEAS_SELLER","app_pay":"Y"},"paydata":{"orderId":"20261126000000123456","customerOrderId":"c32r1-17","currency":"NZD","amount":"120.00"}}"#;

fn profile(case: &str, n: u64) {
    use latipay_bench::*;
    use latipay_runtime::{LatipaySigned, Notification, NotificationRef};
    use std::hint::black_box;
    let c = credentials();
    let (mini, hosted) = (mini_order(), hosted_order());
    // The scaling benchmark's worst point: 40 fields of 100 bytes.
    let f40 = Fields40::filled(&value_of(100));
    let f40_message = full_message(&f40, &c);
    let mut expected = [0u8; 32];
    hex::decode_to_slice(NOTIFICATION_SIGNATURE, &mut expected).expect("a hex signature");
    let mut buf = [0u8; 64];
    let body = NOTIFICATION_BODY.as_bytes();
    let mut sink = 0usize;
    for _ in 0..n {
        sink += match case {
            "sign_mini" => black_box(&mini)
                .write_signature(&c, &mut buf)
                .map_or(0, str::len),
            "sign_hosted" => black_box(&hosted)
                .write_signature(&c, &mut buf)
                .map_or(0, str::len),
            "decode_mini" => latipay_runtime::__private::decode_response::<MiniOrder>(
                200,
                black_box(DECODE_BODY),
                &c,
            )
            .map_or(0, |r| r.gatewaydata.len()),
            "sign_f40_v100" => black_box(&f40)
                .write_signature(&c, &mut buf)
                .map_or(0, str::len),
            "naive_f40_v100" => naive_mac(API_KEY, black_box(&f40_message)).len(),
            "describe_mini" => black_box(&mini)
                .to_request(&c)
                .map_or(0, |r| r.body.map_or(0, |b| b.len())),
            "naive_mini" => naive_sign(API_KEY, black_box(MINI_MESSAGE)).len(),
            "naive_hosted" => naive_sign(API_KEY, black_box(HOSTED_MESSAGE)).len(),
            "verify_ref" => {
                // Verification only, as the criterion row measures it.
                usize::from(
                    NotificationRef::verify(black_box(body), &c)
                        .map(black_box)
                        .is_ok(),
                )
            }
            "verify_owned" => {
                Notification::verify(black_box(body), &c).map_or(0, |n| n.extra.len())
            }
            "naive_verify" => usize::from(naive_verify(
                API_KEY,
                black_box(NOTIFICATION_MESSAGE),
                &expected,
            )),
            other => {
                eprintln!("unknown case `{other}`: {PROFILE_CASES}");
                std::process::exit(2);
            }
        };
    }
    println!("{case}\t{sink}");
}
