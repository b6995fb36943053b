//! The runtime (being built).
