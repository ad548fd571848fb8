//! Rust identifier cases for type and variant names, from name hints and
//! wire values. Pure functions of their input: naming calls them to name
//! types and variants, and the model to name inline operation types, so the
//! same words always give the same name.

use heck::ToUpperCamelCase;

/// `["voice_settings", "stability"]` -> `VoiceSettingsStability`.
pub fn type_ident(hint: &[String]) -> String {
    let joined = hint
        .iter()
        .map(|part| camel_words(part))
        .collect::<String>();
    let name = if joined.is_empty() {
        "Schema".to_owned()
    } else {
        joined
    };
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        format!("T{name}")
    } else {
        name
    }
}

/// An enum variant or const type name for a wire value: `mp3_44100_128`
/// -> `Mp3_44100_128` (digits stay apart), `""` -> `Empty`.
pub fn variant_ident(value: &str) -> String {
    let name = camel_words(value);
    if name.is_empty() {
        return "Empty".to_owned();
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        format!("V{name}")
    } else if name == "Self" {
        "SelfValue".to_owned()
    } else {
        name
    }
}

/// UpperCamelCase of the alphanumeric words in `text`, keeping an
/// underscore between two words that would otherwise run digits together.
fn camel_words(text: &str) -> String {
    let mut out = String::new();
    for word in text
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        let camel = word.to_upper_camel_case();
        let digits_meet = out.ends_with(|c: char| c.is_ascii_digit())
            && camel.starts_with(|c: char| c.is_ascii_digit());
        if digits_meet {
            out.push('_');
        }
        out.push_str(&camel);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wire_values_become_camel_variants() {
        assert_eq!(variant_ident("mp3_44100_128"), "Mp3_44100_128");
        assert_eq!(variant_ident("landing-page"), "LandingPage");
        assert_eq!(variant_ident("16000"), "V16000");
        assert_eq!(variant_ident(""), "Empty");
        assert_eq!(type_ident(&["ASTNode-Input".into()]), "AstNodeInput");
        assert_eq!(
            type_ident(&["Voice".into(), "settings".into(), "Item".into()]),
            "VoiceSettingsItem"
        );
    }
}
