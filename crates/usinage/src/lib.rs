//! `usinage`: the server of Gestion Usinage as a library — the `usinage` binary's commands and
//! the desktop app's trial mode ("Essai sur ce poste") start the same server from here.

pub mod config;
pub mod server;
pub mod tls;

pub use server::{Running, StartOptions, app_error, open, start, start_embedded};
