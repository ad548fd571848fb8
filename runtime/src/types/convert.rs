//! Conversions of generated types, so that callers pass plain values.
//!
//! The generated code invokes these macros once per type instead of spelling
//! out the same impls for each of its ~1,000 enums and unions.

/// `From<&str>`, `From<String>`, `FromStr` and `Display` for a string enum
/// with inherent `from_wire(String)` and `as_str()`: known text becomes its
/// variant, any other text the catch-all, and `Display` writes the wire text
/// back, so `"x".parse::<E>()?.to_string() == "x"` for every string.
#[macro_export]
macro_rules! string_enum_conversions {
    ($name:ident) => {
        impl ::core::convert::From<::std::string::String> for $name {
            #[inline]
            fn from(value: ::std::string::String) -> Self {
                Self::from_wire(value)
            }
        }

        impl ::core::convert::From<&str> for $name {
            #[inline]
            fn from(value: &str) -> Self {
                Self::from_wire(value.to_owned())
            }
        }

        impl ::core::str::FromStr for $name {
            type Err = ::core::convert::Infallible;

            #[inline]
            fn from_str(value: &str) -> ::core::result::Result<Self, Self::Err> {
                ::core::result::Result::Ok(Self::from_wire(value.to_owned()))
            }
        }

        impl ::core::fmt::Display for $name {
            #[inline]
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

/// `From<Member>` for the variants of a union, one per `Variant(Type)`
/// after the union's name. (The list is written like call expressions, so
/// that rustfmt lays the invocations out like calls, which may add a
/// trailing comma inside the parentheses.)
#[macro_export]
macro_rules! union_conversions {
    ($union:ident, $($variant:ident($member:ty $(,)?)),+ $(,)?) => {
        $(
            impl ::core::convert::From<$member> for $union {
                #[inline]
                fn from(value: $member) -> Self {
                    Self::$variant(value)
                }
            }
        )+
    };
}

/// [`union_conversions!`] for variants that hold their member boxed: each
/// takes the member unboxed.
#[macro_export]
macro_rules! union_boxed_conversions {
    ($union:ident, $($variant:ident($member:ty $(,)?)),+ $(,)?) => {
        $(
            impl ::core::convert::From<$member> for $union {
                #[inline]
                fn from(value: $member) -> Self {
                    Self::$variant(::std::boxed::Box::new(value))
                }
            }
        )+
    };
}

/// `From<&str>` for a union with a `String` variant (its `From<String>`
/// comes from [`union_conversions!`]).
#[macro_export]
macro_rules! union_str_conversion {
    ($union:ident, $variant:ident $(,)?) => {
        impl ::core::convert::From<&str> for $union {
            #[inline]
            fn from(value: &str) -> Self {
                Self::$variant(value.to_owned())
            }
        }
    };
}

/// `From<&str>` and `From<String>` for a union whose one member that text
/// converts into is a string enum: the text goes to that member, unknown
/// text to the enum's catch-all.
#[macro_export]
macro_rules! union_enum_text_conversions {
    ($union:ident, $variant:ident $(,)?) => {
        impl ::core::convert::From<&str> for $union {
            #[inline]
            fn from(value: &str) -> Self {
                Self::$variant(value.into())
            }
        }

        impl ::core::convert::From<::std::string::String> for $union {
            #[inline]
            fn from(value: ::std::string::String) -> Self {
                Self::$variant(value.into())
            }
        }
    };
}

#[cfg(test)]
mod tests {
    #[derive(Debug, PartialEq)]
    enum Format {
        Mp3,
        Unknown(String),
    }

    impl Format {
        fn as_str(&self) -> &str {
            match self {
                Self::Mp3 => "mp3",
                Self::Unknown(value) => value,
            }
        }

        fn from_wire(value: String) -> Self {
            match value.as_str() {
                "mp3" => Self::Mp3,
                _ => Self::Unknown(value),
            }
        }
    }

    string_enum_conversions!(Format);

    #[derive(Debug, PartialEq)]
    struct Tree(Vec<Node>);

    #[derive(Debug, PartialEq)]
    enum Node {
        Text(String),
        Number(i64),
        Tree(Box<Tree>),
    }

    union_conversions!(Node, Text(String), Number(i64));
    union_boxed_conversions!(Node, Tree(Tree));
    union_str_conversion!(Node, Text);

    #[test]
    fn a_string_enum_converts_from_text_and_displays_its_wire_value() {
        assert_eq!(Format::from("mp3"), Format::Mp3);
        assert_eq!(Format::from("mp3".to_owned()), Format::Mp3);
        assert_eq!("ogg".parse::<Format>(), Ok(Format::Unknown("ogg".into())));
        assert_eq!(Format::Mp3.to_string(), "mp3");
        assert_eq!(Format::from("ogg").to_string(), "ogg");
    }

    #[test]
    fn a_union_converts_from_each_member() {
        assert_eq!(Node::from("a"), Node::Text("a".into()));
        assert_eq!(Node::from("a".to_owned()), Node::Text("a".into()));
        assert_eq!(Node::from(3), Node::Number(3));
        assert_eq!(Node::from(Tree(vec![])), Node::Tree(Box::new(Tree(vec![]))));
    }

    #[derive(Debug, PartialEq)]
    enum Kind {
        Keyword(Format),
        Names(Vec<String>),
    }

    union_conversions!(Kind, Keyword(Format), Names(Vec<String>));
    union_enum_text_conversions!(Kind, Keyword);

    #[test]
    fn text_goes_to_the_string_enum_member_of_a_union() {
        assert_eq!(Kind::from("mp3"), Kind::Keyword(Format::Mp3));
        assert_eq!(
            Kind::from("ogg".to_owned()),
            Kind::Keyword(Format::Unknown("ogg".into()))
        );
        assert_eq!(Kind::from(vec![]), Kind::Names(vec![]));
    }
}
