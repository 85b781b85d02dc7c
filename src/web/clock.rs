//! Time and fresh ids, which the pure reducer receives as data.

use crate::domain::annotation::base36;

/// Milliseconds since the Unix epoch.
pub fn now_ms() -> i64 {
    js_sys::Date::now() as i64
}

/// A new id such as `s-lq3k9x-4f2a9c`: time in base 36 plus random digits, unique across tabs.
pub fn new_id(prefix: &str) -> String {
    let random = (js_sys::Math::random() * 2_176_782_336.0) as u64; // 36^6
    format!("{prefix}-{}-{}", base36(now_ms().max(0) as u64), base36(random))
}
