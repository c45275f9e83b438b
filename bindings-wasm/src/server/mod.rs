//! The server module's own exports: everything that signs, holds a secret or drives a
//! flow. Built only with the `server` feature, which turns on the core's `signing`.

pub mod client;
pub mod flow;
mod options;
pub mod responses;
pub mod webhook;
