//! The derive (being built).
