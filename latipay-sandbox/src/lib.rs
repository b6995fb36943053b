//! A local, spec-driven Latipay sandbox (being built).
