//! Shannon entropy of a string, in bits per character.

/// Shannon entropy of `value`'s bytes, in bits per byte. Random base64 is
/// about 5–6 for long strings, English words about 2.5–3.5.
pub fn shannon_entropy(value: &str) -> f64 {
    let bytes = value.as_bytes();
    if bytes.is_empty() {
        return 0.0;
    }
    let mut counts = [0u32; 256];
    for &b in bytes {
        counts[b as usize] += 1;
    }
    let len = bytes.len() as f64;
    counts
        .iter()
        .filter(|&&c| c > 0)
        .map(|&c| {
            let p = f64::from(c) / len;
            -p * p.log2()
        })
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entropy_of_known_strings() {
        assert_eq!(shannon_entropy(""), 0.0);
        assert_eq!(shannon_entropy("aaaa"), 0.0);
        assert!((shannon_entropy("abcd") - 2.0).abs() < 1e-9);
        assert!((shannon_entropy("admin123") - 3.0).abs() < 1e-9);
        assert!(shannon_entropy("cWj5VRW8ovzQPygGcPXbhgpiB8ESJH35") > 4.0);
    }
}
