//! Compile errors, each pinned by a reviewed `.stderr` file in `tests/ui/`, and in `tests/ui/pass/`
//! structs the derive must accept (hygiene: raw identifiers, shadowed names).

#[test]
fn ui() {
    let t = trybuild::TestCases::new();
    t.compile_fail("ui/*.rs");
    t.pass("ui/pass/*.rs");
}
