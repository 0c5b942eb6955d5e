#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]
fn main() {
    usinage_desktop_lib::run()
}
