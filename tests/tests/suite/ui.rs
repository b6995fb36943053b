//! Compile errors, each pinned by a reviewed `.stderr` file in `tests/ui/`.

#[test]
fn ui() {
    let t = trybuild::TestCases::new();
    t.compile_fail("ui/*.rs");
}
