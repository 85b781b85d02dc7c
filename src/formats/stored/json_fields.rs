//! Reading a JSON object's fields the way derived deserializers would, without one per shape.

use serde_json::{Map, Value};

/// The fields of a JSON object, read as the derived deserializers would: a missing field is
/// empty, a field of the wrong type an error, unknown fields ignored.
///
/// The stored article metadata and details are read through `serde_json::Value` rather than
/// derived deserializers: the app already carries `Value`'s, and a derived one per shape (and
/// per enum that holds it, such as the stored edit) added kilobytes to the first load for a few
/// strings.
pub struct JsonFields<'a>(&'a Map<String, Value>);

impl<'a> JsonFields<'a> {
    pub fn of(value: &'a Value, what: &str) -> Result<JsonFields<'a>, String> {
        value.as_object().map(JsonFields).ok_or_else(|| format!("invalid type: {what} must be a JSON object"))
    }

    pub fn get(&self, key: &str) -> Option<&'a Value> {
        self.0.get(key)
    }

    pub fn string(&self, key: &str) -> Result<String, String> {
        match self.0.get(key) {
            None => Ok(String::new()),
            Some(Value::String(text)) => Ok(text.clone()),
            Some(_) => Err(format!("invalid type: `{key}` must be a string")),
        }
    }

    pub fn strings(&self, key: &str) -> Result<Vec<String>, String> {
        let Some(value) = self.0.get(key) else { return Ok(Vec::new()) };
        let items = value.as_array().ok_or_else(|| format!("invalid type: `{key}` must be a list of strings"))?;
        items
            .iter()
            .map(|item| {
                item.as_str()
                    .map(str::to_string)
                    .ok_or_else(|| format!("invalid type: `{key}` must be a list of strings"))
            })
            .collect()
    }
}
