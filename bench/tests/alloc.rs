//! Signing the benchmark's 5/10/20/40-field structs, with values of 10 B to 10 KB, allocates
//! nothing but the returned hex string (the seed's orders are checked by the main suite's
//! `alloc.rs`). Counted exactly by a counting global allocator.

use latipay_bench::*;
use latipay_tests::counting;

#[global_allocator]
static GLOBAL: counting::Counting = counting::Counting;

fn check<S: Scaled>() {
    let c = credentials();
    let mut buf = [0u8; 64];
    for len in VALUE_LENGTHS {
        let r = S::filled(&value_of(len));
        let (n, _) = counting::allocations(|| r.signature(&c).unwrap());
        assert_eq!(n, 0, "signature() of {} fields of {len} B", S::FIELDS);
        let (n, _) = counting::allocations(|| r.write_signature(&c, &mut buf).map(str::len));
        assert_eq!(n, 0, "write_signature() of {} fields of {len} B", S::FIELDS);
        let (n, _) = counting::allocations(|| r.sign(&c).unwrap());
        assert_eq!(n, 1, "sign() of {} fields of {len} B", S::FIELDS);
    }
}

#[test]
fn scaled_structs_sign_without_allocating() {
    check::<Fields5>();
    check::<Fields10>();
    check::<Fields20>();
    check::<Fields40>();
}
