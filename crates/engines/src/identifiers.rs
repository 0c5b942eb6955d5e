//! French company identifiers: SIREN/SIRET (Luhn key) and the intra-EU VAT number key for France.
//! Source: INSEE (SIREN = 9 digits, SIRET = SIREN + 5-digit NIC, both valid under Luhn; La Poste's
//! SIRETs `356000000xxxxx` follow the digit-sum-multiple-of-5 exception) and the DGFiP rule for
//! the FR VAT key: `key = (12 + 3 × (SIREN mod 97)) mod 97`. See NORMS.md.

/// Luhn check over ASCII digits.
///
/// ```
/// assert!(usinage_engines::identifiers::luhn_valid("73584053000019"));
/// assert!(!usinage_engines::identifiers::luhn_valid("73584053000018"));
/// ```
pub fn luhn_valid(digits: &str) -> bool {
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return false;
    }
    let sum: u32 = digits
        .bytes()
        .rev()
        .enumerate()
        .map(|(i, b)| {
            let d = u32::from(b - b'0');
            if i % 2 == 1 {
                let x = d * 2;
                if x > 9 { x - 9 } else { x }
            } else {
                d
            }
        })
        .sum();
    sum.is_multiple_of(10)
}

/// Removes the spaces and dots people type in identifiers ("735 840 530 00019").
pub fn normalize(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace() && *c != '.' && *c != '-')
        .collect::<String>()
        .to_uppercase()
}

/// Why an identifier was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdError {
    Length,
    NotDigits,
    Checksum,
}

pub fn check_siren(s: &str) -> Result<String, IdError> {
    let s = normalize(s);
    if s.len() != 9 {
        return Err(IdError::Length);
    }
    if !s.bytes().all(|b| b.is_ascii_digit()) {
        return Err(IdError::NotDigits);
    }
    if !luhn_valid(&s) {
        return Err(IdError::Checksum);
    }
    Ok(s)
}

pub fn check_siret(s: &str) -> Result<String, IdError> {
    let s = normalize(s);
    if s.len() != 14 {
        return Err(IdError::Length);
    }
    if !s.bytes().all(|b| b.is_ascii_digit()) {
        return Err(IdError::NotDigits);
    }
    // La Poste: one SIREN (356 000 000) with thousands of establishments; INSEE uses a digit
    // sum multiple of 5 instead of Luhn for them.
    let la_poste = s.starts_with("356000000") && s != "35600000000048";
    let ok = if la_poste {
        s.bytes()
            .map(|b| u32::from(b - b'0'))
            .sum::<u32>()
            .is_multiple_of(5)
    } else {
        luhn_valid(&s)
    };
    if !ok {
        return Err(IdError::Checksum);
    }
    Ok(s)
}

/// FR intra-EU VAT number: `FR` + 2-digit key + SIREN.
///
/// ```
/// use usinage_engines::identifiers::check_vat_fr;
/// assert_eq!(check_vat_fr("FR64 735840530").unwrap(), "FR64735840530");
/// assert!(check_vat_fr("FR65735840530").is_err());
/// ```
pub fn check_vat_fr(s: &str) -> Result<String, IdError> {
    let s = normalize(s);
    if !s.is_ascii() {
        // Byte slicing below must never split a multi-byte character.
        return Err(IdError::NotDigits);
    }
    if s.len() != 13 || !s.starts_with("FR") {
        return Err(IdError::Length);
    }
    let key = &s[2..4];
    let siren = &s[4..];
    if !siren.bytes().all(|b| b.is_ascii_digit()) {
        return Err(IdError::NotDigits);
    }
    if key.bytes().all(|b| b.is_ascii_digit()) {
        let siren_n: u64 = siren.parse().map_err(|_| IdError::NotDigits)?;
        let expected = (12 + 3 * (siren_n % 97)) % 97;
        let given: u64 = key.parse().map_err(|_| IdError::NotDigits)?;
        if expected != given {
            return Err(IdError::Checksum);
        }
    }
    // Keys with letters (new-style numbers for some entities) have no public check rule.
    Ok(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demo_company_identifiers_are_valid() {
        assert_eq!(check_siren("735 840 530"), Ok("735840530".into()));
        assert_eq!(
            check_siret("735 840 530 00019"),
            Ok("73584053000019".into())
        );
        assert_eq!(check_vat_fr("FR64735840530"), Ok("FR64735840530".into()));
    }

    #[test]
    fn siret_with_a_wrong_key_is_refused() {
        assert_eq!(check_siret("73584053000018"), Err(IdError::Checksum));
        assert_eq!(check_siret("7358405300001"), Err(IdError::Length));
        assert_eq!(check_siret("7358405300001A"), Err(IdError::NotDigits));
    }

    #[test]
    fn la_poste_sirets_use_the_digit_sum_rule() {
        // 3+5+6 + 0… + 1+4 = 19 → not a multiple of 5; 356000000 00055 → 3+5+6+5+5 = 24 no;
        // 356000000 00064 → 3+5+6+6+4 = 24 no; 356000000 00019 → 3+5+6+1+9 = 24 no;
        // 356000000 00010 → 3+5+6+1 = 15 yes.
        assert!(check_siret("35600000000010").is_ok());
        assert!(check_siret("35600000000019").is_err());
    }

    #[test]
    fn non_ascii_vat_numbers_are_refused_without_panicking() {
        assert_eq!(check_vat_fr("FRé\u{80}35840530"), Err(IdError::NotDigits));
        assert_eq!(check_vat_fr("0\u{80}0"), Err(IdError::NotDigits));
    }

    #[test]
    fn luhn_rejects_empty_and_letters() {
        assert!(!luhn_valid(""));
        assert!(!luhn_valid("12a4"));
        assert!(luhn_valid("0"));
    }
}
