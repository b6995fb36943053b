//! Every input the fuzzers kept (`fuzz/corpus/<target>/`) and every crash they found
//! (`fuzz/artifacts/<target>/`, fixed since) runs through the same target body on each
//! `cargo test`: a regression of a fixed crash fails here, without nightly or libFuzzer.

use std::path::Path;

use latipay_tests::fuzz::TARGETS;

fn inputs(dir: &Path) -> Vec<std::path::PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut files: Vec<_> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    files
}

#[test]
fn the_kept_fuzz_inputs_never_panic() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../fuzz");
    let mut total = 0;
    for (name, body) in TARGETS {
        let corpus = inputs(&root.join("corpus").join(name));
        assert!(
            !corpus.is_empty(),
            "fuzz/corpus/{name} has the seeds and the kept inputs"
        );
        for path in corpus
            .iter()
            .chain(inputs(&root.join("artifacts").join(name)).iter())
        {
            let data = std::fs::read(path).unwrap();
            let outcome = std::panic::catch_unwind(|| body(&data));
            assert!(outcome.is_ok(), "{name}: {} panics", path.display());
            total += 1;
        }
    }
    assert!(total > 0);
}
