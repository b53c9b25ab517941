//! Source files must be UTF-8. A file saved in another encoding (Windows-1252 by Notepad or an
//! old Word, ISO-8859-1…) is refused with the place of its first invalid byte and how to
//! re-save it as UTF-8 in the editors referents use.
//!
//! Windows-1252 is not guessed and converted: nothing in the bytes says which 8-bit encoding
//! was meant (Windows-1252, ISO-8859-15 and Mac Roman give different letters for the same
//! byte), a wrong guess would publish wrong letters without anyone noticing, and once the file
//! is re-saved it works in every tool (git, other vitrines harvesting it, editors).

use std::path::Path;

use crate::diagnostics::{Diagnostic, ErrorKind};

/// How to re-save a file as UTF-8 in the usual editors.
pub const RESAVE_ADVICE: &str = "réenregistrez le fichier en UTF-8 : Bloc-notes : « Fichier → Enregistrer sous », Codage « UTF-8 » ; LibreOffice : « Fichier → Enregistrer sous », cochez « Éditer les paramètres du filtre », puis jeu de caractères « Unicode (UTF-8) » ; Notepad++ : « Encodage → Convertir en UTF-8 », puis enregistrez ; VS Code : cliquez sur l'encodage dans la barre d'état, « Enregistrer avec l'encodage », puis « UTF-8 »";

/// Reads `path` as UTF-8 text; `shown` is the name used in diagnostics (relative to the site).
pub fn read_utf8(path: &Path, shown: &Path) -> Result<String, Diagnostic> {
    let bytes = std::fs::read(path).map_err(|e| Diagnostic::io(shown, &e))?;
    decode(shown, bytes)
}

/// The bytes as text, or a diagnostic at the first byte that is not UTF-8.
pub fn decode(file: &Path, bytes: Vec<u8>) -> Result<String, Diagnostic> {
    String::from_utf8(bytes).map_err(|e| {
        let bytes = e.as_bytes();
        let at = e.utf8_error().valid_up_to();
        not_utf8(file, bytes, at)
    })
}

fn not_utf8(file: &Path, bytes: &[u8], at: usize) -> Diagnostic {
    // The prefix is valid UTF-8 by definition of `valid_up_to`.
    let prefix = std::str::from_utf8(&bytes[..at]).unwrap_or_default();
    let line = prefix.matches('\n').count() + 1;
    let line_start = prefix.rfind('\n').map_or(0, |i| i + 1);
    let column = prefix[line_start..].chars().count() + 1;
    let byte = bytes[at];
    let utf16 = bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]);
    let guess = match windows_1252_letter(byte) {
        // Notepad's « Unicode » is UTF-16: its first bytes would read as « ÿþ ».
        _ if utf16 => {
            " (le fichier est enregistré en UTF-16, « Unicode » dans le Bloc-notes)".to_string()
        }
        Some(letter) => {
            format!(" (sans doute « {letter} » enregistré en Windows-1252 ou ISO-8859-1)")
        }
        None => String::new(),
    };
    Diagnostic::new(
        ErrorKind::Encoding,
        file,
        format!("le fichier n'est pas encodé en UTF-8 : octet 0x{byte:02X} illisible{guess} ; {RESAVE_ADVICE}"),
    )
    .at(line, column)
}

/// The letter a Windows-1252 byte stands for, for the usual French letters and signs.
fn windows_1252_letter(byte: u8) -> Option<char> {
    let letter = match byte {
        0x80 => '€',
        0x92 => '’',
        0x9C => 'œ',
        0x8C => 'Œ',
        0xAB => '«',
        0xBB => '»',
        0xA0 => '\u{a0}',
        0xC0..=0xFF => char::from(byte),
        _ => return None,
    };
    Some(letter)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_is_read_as_is() {
        let text = decode(Path::new("a.md"), "titre: été\n".as_bytes().to_vec()).unwrap();
        assert_eq!(text, "titre: été\n");
    }

    #[test]
    fn the_first_invalid_byte_is_located_in_characters() {
        // Line 3: « à » is valid UTF-8 (one character, two bytes), then « é » in Windows-1252.
        let mut bytes = "---\ntitre: x\nrésumé à ".as_bytes().to_vec();
        bytes.extend([0xE9, b't', 0xE9, b'\n']);
        let d = decode(Path::new("content/a.md"), bytes).unwrap_err();
        assert_eq!(d.kind, ErrorKind::Encoding);
        assert_eq!((d.line, d.column), (3, 10));
        assert!(d.message.contains("0xE9"), "{}", d.message);
        assert!(d.message.contains("« é »"), "{}", d.message);
        assert!(d.message.contains("Convertir en UTF-8"), "{}", d.message);
    }

    #[test]
    fn utf16_is_named() {
        let d = decode(Path::new("a.md"), vec![0xFF, 0xFE, b'-', 0]).unwrap_err();
        assert_eq!((d.line, d.column), (1, 1));
        assert!(d.message.contains("UTF-16"), "{}", d.message);
    }

    #[test]
    fn an_invalid_first_byte_is_at_line_1_column_1() {
        let d = decode(Path::new("a.md"), vec![0x81, b'a']).unwrap_err();
        assert_eq!((d.line, d.column), (1, 1));
        assert!(!d.message.contains("sans doute"), "{}", d.message);
    }
}
