//! The `latipay` command (being built).

fn main() {}
