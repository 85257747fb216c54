//! Character-bigram language models for the statistical charset guess.
//!
//! The models are trained by `benches/detect/train_models.py` on gettext translations (see that
//! script and `benches/detect/README.md`) and embedded as `lang_models.bin`. Each model maps
//! characters to symbols (its most frequent letters and punctuation, lower-cased, plus classes
//! for whitespace, digits, other letters, other characters and box drawing) and stores
//! `-log2 P(next | previous)` for every pair of symbols, in tenths of a bit.

use std::sync::LazyLock;

static DATA: &[u8] = include_bytes!("lang_models.bin");

/// Symbols every model has, before its alphabet.
const SPACE: u8 = 0;
const DIGIT: u8 = 1;
const OTHER_LETTER: u8 = 2;
const OTHER: u8 = 3;
const BOX: u8 = 4;
const RESERVED: usize = 5;

/// One language's model.
pub struct Model {
    pub name: &'static str,
    /// 0 Latin, 1 Cyrillic, 2 Greek, 3 Hebrew, 4 Arabic, 5 Thai.
    pub script: u8,
    /// Number of symbols (the side of the cost matrix).
    pub size: usize,
    /// The alphabet, sorted, with each character's symbol.
    alphabet: Vec<(char, u8)>,
    /// `size × size` costs in tenths of a bit, row = previous symbol.
    pub costs: &'static [u8],
}

impl Model {
    /// The symbol of a decoded character (`None`: an undefined byte or a control character).
    pub fn symbol(&self, c: Option<char>) -> u8 {
        let Some(c) = c else { return OTHER };
        match c {
            ' ' | '\t' | '\r' | '\n' => return SPACE,
            '0'..='9' => return DIGIT,
            '\u{2500}'..='\u{25FF}' => return BOX,
            _ => {}
        }
        let l = c.to_lowercase().next().unwrap_or(c);
        match self.alphabet.binary_search_by_key(&l, |&(a, _)| a) {
            Ok(i) => self.alphabet[i].1,
            Err(_) if c.is_alphabetic() => OTHER_LETTER,
            Err(_) => OTHER,
        }
    }
}

static MODELS: LazyLock<Vec<Model>> = LazyLock::new(|| parse(DATA));

/// Every model.
pub fn all() -> &'static [Model] {
    &MODELS
}

fn parse(data: &'static [u8]) -> Vec<Model> {
    assert!(data.starts_with(b"MJLM") && data[4] == 1, "bad model file");
    let count = data[5] as usize;
    let mut pos = 6;
    let mut out = Vec::with_capacity(count);
    for _ in 0..count {
        let len = data[pos] as usize;
        let name = std::str::from_utf8(&data[pos + 1..pos + 1 + len]).expect("ASCII name");
        pos += 1 + len;
        let script = data[pos];
        let n = data[pos + 1] as usize;
        pos += 2;
        let mut alphabet = Vec::with_capacity(n);
        for i in 0..n {
            let cp = u32::from_le_bytes(data[pos..pos + 4].try_into().expect("4 bytes"));
            pos += 4;
            let c = char::from_u32(cp).expect("valid code point");
            alphabet.push((c, (RESERVED + i) as u8));
        }
        alphabet.sort_unstable();
        let size = n + RESERVED;
        let costs = &data[pos..pos + size * size];
        pos += size * size;
        out.push(Model {
            name,
            script,
            size,
            alphabet,
            costs,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn models_load_and_know_their_letters() {
        let models = all();
        assert!(models.len() >= 30);
        let ru = models
            .iter()
            .find(|m| m.name == "ru")
            .expect("Russian model");
        assert_eq!(ru.script, 1);
        assert!(ru.symbol(Some('Ж')) as usize >= RESERVED);
        assert_eq!(ru.symbol(Some(' ')), SPACE);
        assert_eq!(ru.symbol(Some('7')), DIGIT);
        assert_eq!(ru.symbol(Some('═')), BOX);
        assert_eq!(ru.symbol(None), OTHER);
        let fr = models
            .iter()
            .find(|m| m.name == "fr")
            .expect("French model");
        // "é" follows "t" far more often in French than "ë" does.
        let t = fr.symbol(Some('t')) as usize;
        let e_acute = fr.symbol(Some('é')) as usize;
        let cost = |b: usize| fr.costs[t * fr.size + b];
        assert!(cost(e_acute) < cost(OTHER_LETTER as usize));
    }
}
