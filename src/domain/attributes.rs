//! A span's attributes: its values by key, in key order, held in one small vector.
//!
//! A span has a handful of attributes (its label's: one to four), so a sorted vector does what a
//! `BTreeMap<String, String>` did with one allocation instead of a 270-byte tree node per span,
//! and its keys are `Rc<str>`: the spans of one label share their label's keys
//! ([`LabelKeys`]), so a load of 10,000 spans allocates no key. Iteration is in key order, as
//! the map's was, so every export and stored document is written as before.

use std::fmt;
use std::rc::Rc;

use serde::de::{MapAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize};

use crate::domain::schema::LabelDef;

/// Values by key, in key order (`str`'s order, as a `BTreeMap<String, _>` keeps them).
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Attributes(Vec<(Rc<str>, String)>);

/// The attribute keys of one label, shared by every span of it: each key once, in key order,
/// with its place in the label's own order (the order a stored span lists its values in; for a
/// key the schema repeats, its last place, whose value a map's insert kept).
#[derive(Clone, Debug, Default)]
pub struct LabelKeys(Vec<(Rc<str>, usize)>);

impl LabelKeys {
    pub fn of(label: &LabelDef) -> LabelKeys {
        let mut keys: Vec<(Rc<str>, usize)> = Vec::with_capacity(label.attributes.len());
        for (place, attribute) in label.attributes.iter().enumerate() {
            match keys.iter_mut().find(|(key, _)| **key == *attribute.key) {
                Some(repeated) => repeated.1 = place,
                None => keys.push((Rc::from(attribute.key.as_str()), place)),
            }
        }
        crate::domain::sorting::sort_by(&mut keys, |a, b| a.0.cmp(&b.0));
        LabelKeys(keys)
    }
}

impl Attributes {
    pub fn new() -> Attributes {
        Attributes(Vec::new())
    }

    /// A span's attributes from its label's values, in the label's order; a value missing (or
    /// `None`) is the attribute's default. The keys are `keys`' (`LabelKeys::of(label)`).
    pub fn from_label_values(keys: &LabelKeys, label: &LabelDef, mut values: Vec<Option<String>>) -> Attributes {
        let mut pairs = Vec::with_capacity(keys.0.len());
        for (key, place) in &keys.0 {
            let value = values.get_mut(*place).and_then(Option::take).unwrap_or_else(|| {
                label.attributes.get(*place).map(|attribute| attribute.default_value()).unwrap_or_default()
            });
            pairs.push((key.clone(), value));
        }
        Attributes(pairs)
    }

    fn find(&self, key: &str) -> Result<usize, usize> {
        self.0.binary_search_by(|(have, _)| (**have).cmp(key))
    }

    pub fn get(&self, key: &str) -> Option<&String> {
        self.find(key).ok().map(|index| &self.0[index].1)
    }

    /// Sets `key` to `value`; returns the value it replaces.
    pub fn insert<Key: AsRef<str> + Into<Rc<str>>>(&mut self, key: Key, value: String) -> Option<String> {
        match self.find(key.as_ref()) {
            Ok(index) => Some(std::mem::replace(&mut self.0[index].1, value)),
            Err(index) => {
                self.0.insert(index, (key.into(), value));
                None
            }
        }
    }

    /// The value of `key`, inserted from `make` when there is none.
    pub fn get_or_insert_with<Key: AsRef<str> + Into<Rc<str>>>(
        &mut self,
        key: Key,
        make: impl FnOnce() -> String,
    ) -> &mut String {
        let index = match self.find(key.as_ref()) {
            Ok(index) => index,
            Err(index) => {
                self.0.insert(index, (key.into(), make()));
                index
            }
        };
        &mut self.0[index].1
    }

    pub fn remove(&mut self, key: &str) -> Option<String> {
        self.find(key).ok().map(|index| self.0.remove(index).1)
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// `(key, value)` in key order.
    pub fn iter(&self) -> Iter<'_> {
        self.0.iter().map(as_pair)
    }

    pub fn keys(&self) -> impl DoubleEndedIterator<Item = &str> + ExactSizeIterator + Clone {
        self.0.iter().map(|(key, _)| &**key)
    }

    pub fn values(&self) -> impl DoubleEndedIterator<Item = &String> + ExactSizeIterator + Clone {
        self.0.iter().map(|(_, value)| value)
    }

    pub fn values_mut(&mut self) -> impl DoubleEndedIterator<Item = &mut String> + ExactSizeIterator {
        self.0.iter_mut().map(|(_, value)| value)
    }
}

/// The iterator of [`Attributes::iter`].
pub type Iter<'a> =
    std::iter::Map<std::slice::Iter<'a, (Rc<str>, String)>, fn(&'a (Rc<str>, String)) -> (&'a str, &'a String)>;

fn as_pair(pair: &(Rc<str>, String)) -> (&str, &String) {
    (&pair.0, &pair.1)
}

impl<'a> IntoIterator for &'a Attributes {
    type Item = (&'a str, &'a String);
    type IntoIter = Iter<'a>;
    fn into_iter(self) -> Iter<'a> {
        self.iter()
    }
}

impl IntoIterator for Attributes {
    type Item = (Rc<str>, String);
    type IntoIter = std::vec::IntoIter<(Rc<str>, String)>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

/// Later pairs win over earlier ones with the same key, as inserting into a map.
impl<Key: AsRef<str> + Into<Rc<str>>> Extend<(Key, String)> for Attributes {
    fn extend<Pairs: IntoIterator<Item = (Key, String)>>(&mut self, pairs: Pairs) {
        for (key, value) in pairs {
            self.insert(key, value);
        }
    }
}

impl<Key: AsRef<str> + Into<Rc<str>>> FromIterator<(Key, String)> for Attributes {
    fn from_iter<Pairs: IntoIterator<Item = (Key, String)>>(pairs: Pairs) -> Attributes {
        let mut attributes = Attributes::new();
        attributes.extend(pairs);
        attributes
    }
}

impl<Key: AsRef<str> + Into<Rc<str>>, const N: usize> From<[(Key, String); N]> for Attributes {
    fn from(pairs: [(Key, String); N]) -> Attributes {
        pairs.into_iter().collect()
    }
}

/// As the map it replaces: `{"key": "value", …}`.
impl fmt::Debug for Attributes {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.debug_map().entries(self.iter()).finish()
    }
}

/// A JSON object in key order, as a `BTreeMap<String, String>` is written.
impl Serialize for Attributes {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (key, value) in self {
            map.serialize_entry(key, value)?;
        }
        map.end()
    }
}

/// A JSON object of strings, as a `BTreeMap<String, String>` reads one: a key given twice keeps
/// its last value.
impl<'de> Deserialize<'de> for Attributes {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Attributes, D::Error> {
        struct Pairs;
        impl<'de> Visitor<'de> for Pairs {
            type Value = Attributes;
            fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
                formatter.write_str("a map")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Attributes, A::Error> {
                let mut attributes = Attributes(Vec::with_capacity(map.size_hint().unwrap_or(0).min(16)));
                while let Some((key, value)) = map.next_entry::<String, String>()? {
                    attributes.insert(key, value);
                }
                Ok(attributes)
            }
        }
        deserializer.deserialize_map(Pairs)
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use crate::domain::schema::{AttributeDef, AttributeKind};

    fn label(keys: &[(&str, &[&str])]) -> LabelDef {
        LabelDef {
            id: "claim".into(),
            name: "Claim".to_string(),
            color: "#112233".to_string(),
            attributes: keys
                .iter()
                .map(|(key, choices)| AttributeDef {
                    key: key.to_string(),
                    name: key.to_string(),
                    kind: if choices.is_empty() {
                        AttributeKind::Note
                    } else {
                        AttributeKind::Choice { choices: choices.iter().map(|choice| choice.to_string()).collect() }
                    },
                })
                .collect(),
        }
    }

    #[test]
    fn behaves_as_the_map_it_replaced() {
        // The same inserts, replacements and removals on both, in an order that is not the keys'.
        let steps = [("verdict", "x"), ("kind", "y"), ("note", ""), ("kind", "z"), ("a", "1"), ("é", "2"), ("B", "3")];
        let mut attributes = Attributes::new();
        let mut map = BTreeMap::new();
        for (key, value) in steps {
            assert_eq!(attributes.insert(key, value.to_string()), map.insert(key.to_string(), value.to_string()));
        }
        assert_eq!(attributes.remove("note"), map.remove("note"));
        assert_eq!(attributes.remove("none"), map.remove("none"));
        let pairs: Vec<(&str, &String)> = attributes.iter().collect();
        let expected: Vec<(&str, &String)> = map.iter().map(|(key, value)| (key.as_str(), value)).collect();
        assert_eq!(pairs, expected);
        assert_eq!(serde_json::to_string(&attributes).ok(), serde_json::to_string(&map).ok());
        assert_eq!(format!("{attributes:?}"), format!("{map:?}"));
        let json = r#"{"b": "1", "a": "2", "b": "3"}"#;
        let read: Result<Attributes, _> = serde_json::from_str(json);
        let read_map: Result<BTreeMap<String, String>, _> = serde_json::from_str(json);
        assert_eq!(read.ok().map(|read| format!("{read:?}")), read_map.ok().map(|read| format!("{read:?}")));
        assert!(serde_json::from_str::<Attributes>(r#"{"a": 1}"#).is_err());
        assert_eq!(attributes.get("kind").map(String::as_str), Some("z"));
        assert_eq!(attributes.get("note"), None);
        assert_eq!(attributes.len(), map.len());
        *attributes.get_or_insert_with("note", || "new".to_string()) += "!";
        assert_eq!(attributes.get("note").map(String::as_str), Some("new!"));
        assert_eq!(attributes.get_or_insert_with("note", || "other".to_string()), "new!");
    }

    #[test]
    fn a_label_s_values_fill_its_keys_and_defaults_fill_the_rest() {
        let claim = label(&[("kind", &["factual", "numeric"]), ("check_worthy", &["yes", "no"]), ("note", &[])]);
        let keys = LabelKeys::of(&claim);
        let attributes = Attributes::from_label_values(&keys, &claim, vec![Some("numeric".to_string()), None]);
        let expected: Attributes =
            [("check_worthy", "yes".to_string()), ("kind", "numeric".to_string()), ("note", String::new())].into();
        assert_eq!(attributes, expected);
        // Two spans of one label share its keys.
        let other = Attributes::from_label_values(&keys, &claim, Vec::new());
        assert!(Rc::ptr_eq(&attributes.0[0].0, &other.0[0].0));
        // More values than keys: the extra ones are dropped, as before.
        let long = Attributes::from_label_values(&keys, &claim, vec![None, None, None, Some("x".to_string())]);
        assert_eq!(long.len(), 3);
    }

    #[test]
    fn a_key_the_schema_repeats_takes_its_last_value_as_a_map_did() {
        let odd = label(&[("kind", &["a"]), ("kind", &["b"])]);
        let keys = LabelKeys::of(&odd);
        let attributes =
            Attributes::from_label_values(&keys, &odd, vec![Some("first".to_string()), Some("second".to_string())]);
        let expected: Attributes = [("kind", "second".to_string())].into();
        assert_eq!(attributes, expected);
    }
}
