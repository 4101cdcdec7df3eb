//! The columns of an export row, read straight from the item's serialisation: the record's
//! fields named in the header list, each as a JSON value, and nothing else. No JSON
//! document of the whole item is built (an export encodes every row this way, and the
//! fields it leaves out — what the caller may do, timestamps — are never serialised).

use std::fmt;

use serde::Serialize;
use serde::ser::{self, Impossible, SerializeMap, SerializeStruct};
use serde_json::Value;

/// An item that is not a record (a struct or a map with string keys).
#[derive(Debug)]
pub struct Error(String);

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Error {}

impl ser::Error for Error {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        Self(msg.to_string())
    }
}

/// The values of `item`'s fields named in `columns`, in that order (`Null` where it has no
/// such field).
pub fn columns<T: Serialize>(item: &T, columns: &[&'static str]) -> Result<Vec<Value>, Error> {
    let mut found = vec![Value::Null; columns.len()];
    item.serialize(Fields { columns, found: &mut found })?;
    Ok(found)
}

struct Fields<'a> {
    columns: &'a [&'static str],
    found: &'a mut Vec<Value>,
}

impl Fields<'_> {
    fn field<T: ?Sized + Serialize>(&mut self, key: &str, value: &T) -> Result<(), Error> {
        if let Some(i) = self.columns.iter().position(|c| *c == key) {
            self.found[i] = serde_json::to_value(value).map_err(|e| Error(e.to_string()))?;
        }
        Ok(())
    }
}

fn not_a_record() -> Error {
    Error("an export row must be a record".into())
}

macro_rules! refuse {
    ($($name:ident($($arg:ty),*);)*) => {
        $(fn $name(self, $(_: $arg),*) -> Result<(), Error> { Err(not_a_record()) })*
    };
}

impl<'a> ser::Serializer for Fields<'a> {
    type Ok = ();
    type Error = Error;
    type SerializeSeq = Impossible<(), Error>;
    type SerializeTuple = Impossible<(), Error>;
    type SerializeTupleStruct = Impossible<(), Error>;
    type SerializeTupleVariant = Impossible<(), Error>;
    type SerializeMap = MapFields<'a>;
    type SerializeStruct = Self;
    type SerializeStructVariant = Impossible<(), Error>;

    refuse! {
        serialize_bool(bool); serialize_i8(i8); serialize_i16(i16); serialize_i32(i32);
        serialize_i64(i64); serialize_u8(u8); serialize_u16(u16); serialize_u32(u32);
        serialize_u64(u64); serialize_f32(f32); serialize_f64(f64); serialize_char(char);
        serialize_str(&str); serialize_bytes(&[u8]); serialize_none(); serialize_unit();
        serialize_unit_struct(&'static str);
        serialize_unit_variant(&'static str, u32, &'static str);
    }

    fn serialize_some<T: ?Sized + Serialize>(self, _: &T) -> Result<(), Error> {
        Err(not_a_record())
    }
    fn serialize_newtype_struct<T: ?Sized + Serialize>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: ?Sized + Serialize>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<(), Error> {
        Err(not_a_record())
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq, Error> {
        Err(not_a_record())
    }
    fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, Error> {
        Err(not_a_record())
    }
    fn serialize_tuple_struct(self, _: &'static str, _: usize) -> Result<Self::SerializeTupleStruct, Error> {
        Err(not_a_record())
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, Error> {
        Err(not_a_record())
    }
    fn serialize_map(self, _: Option<usize>) -> Result<MapFields<'a>, Error> {
        Ok(MapFields { fields: self, key: None })
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self, Error> {
        Ok(self)
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, Error> {
        Err(not_a_record())
    }
}

impl SerializeStruct for Fields<'_> {
    type Ok = ();
    type Error = Error;
    fn serialize_field<T: ?Sized + Serialize>(&mut self, key: &'static str, value: &T) -> Result<(), Error> {
        self.field(key, value)
    }
    fn end(self) -> Result<(), Error> {
        Ok(())
    }
}

/// A record serialised as a map (a struct with a flattened part).
pub struct MapFields<'a> {
    fields: Fields<'a>,
    key: Option<String>,
}

impl SerializeMap for MapFields<'_> {
    type Ok = ();
    type Error = Error;
    fn serialize_key<T: ?Sized + Serialize>(&mut self, key: &T) -> Result<(), Error> {
        match serde_json::to_value(key) {
            Ok(Value::String(k)) => {
                self.key = Some(k);
                Ok(())
            }
            _ => Err(not_a_record()),
        }
    }
    fn serialize_value<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<(), Error> {
        let key = self.key.take().ok_or_else(not_a_record)?;
        self.fields.field(&key, value)
    }
    fn end(self) -> Result<(), Error> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Serialize)]
    struct Inner {
        b: Option<i32>,
    }

    #[derive(Serialize)]
    struct Row {
        a: &'static str,
        #[serde(flatten)]
        inner: Inner,
        skipped: Vec<u8>,
    }

    #[test]
    fn reads_the_named_fields_of_structs_and_flattened_maps() {
        let row = Row { a: "x", inner: Inner { b: Some(3) }, skipped: vec![1] };
        assert_eq!(
            columns(&row, &["b", "a", "missing"]).unwrap(),
            [Value::from(3), Value::from("x"), Value::Null]
        );
        assert!(columns(&5, &["a"]).is_err(), "a number is not a record");
    }
}
