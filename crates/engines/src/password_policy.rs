//! Password rules. Length beats composition rules (NIST SP 800-63B §5.1.1.2): at least 10
//! characters, at most 128, not the login itself, not one of the passwords shops actually use.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PasswordProblem {
    TooShort,
    TooLong,
    SameAsLogin,
    TooCommon,
}

pub const MIN_LEN: usize = 10;
pub const MAX_LEN: usize = 128;

const COMMON: &[&str] = &[
    "motdepasse",
    "password",
    "azertyuiop",
    "1234567890",
    "0123456789",
    "administrateur",
    "usinage123",
    "qwertyuiop",
];

pub fn check(login: &str, password: &str) -> Result<(), PasswordProblem> {
    let n = password.chars().count();
    if n < MIN_LEN {
        return Err(PasswordProblem::TooShort);
    }
    if n > MAX_LEN {
        return Err(PasswordProblem::TooLong);
    }
    let lower = password.to_lowercase();
    if !login.is_empty() && lower == login.to_lowercase() {
        return Err(PasswordProblem::SameAsLogin);
    }
    if COMMON
        .iter()
        .any(|c| lower == *c || lower.starts_with(c) && lower.len() <= c.len() + 2)
    {
        return Err(PasswordProblem::TooCommon);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_long_login_and_common_passwords_are_refused() {
        assert_eq!(check("kdumas", "court"), Err(PasswordProblem::TooShort));
        assert_eq!(
            check("kdumas", &"x".repeat(129)),
            Err(PasswordProblem::TooLong)
        );
        assert_eq!(
            check("operateur2", "Operateur2"),
            Err(PasswordProblem::SameAsLogin)
        );
        assert_eq!(
            check("kdumas", "motdepasse1"),
            Err(PasswordProblem::TooCommon)
        );
        assert_eq!(check("kdumas", "Tour-CN-2026!"), Ok(()));
    }
}
