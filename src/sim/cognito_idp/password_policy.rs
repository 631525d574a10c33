//! The default password policy of a user pool: at least eight characters with upper and
//! lower case letters, a number and a symbol.
//! See <https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-settings-policies.html>.

use super::error::IdpError;

/// Checks a new password against the default policy.
pub fn check_password_policy(password: &str) -> Result<(), IdpError> {
    let refuse = |why: &str| {
        Err(IdpError::InvalidPassword(format!(
            "Password does not conform to policy: {why}"
        )))
    };
    if password.chars().count() < 8 {
        return refuse("Password not long enough");
    }
    if !password.chars().any(|c| c.is_uppercase()) {
        return refuse("Password must have uppercase characters");
    }
    if !password.chars().any(|c| c.is_lowercase()) {
        return refuse("Password must have lowercase characters");
    }
    if !password.chars().any(|c| c.is_ascii_digit()) {
        return refuse("Password must have numeric characters");
    }
    if !password.chars().any(|c| !c.is_alphanumeric()) {
        return refuse("Password must have symbol characters");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weak_passwords_are_refused_with_invalid_password() {
        for weak in ["Ab1!", "abcdefg1!", "ABCDEFG1!", "Abcdefgh!", "Abcdefgh1"] {
            let error = check_password_policy(weak).unwrap_err();
            assert_eq!(error.code(), "InvalidPasswordException", "{weak}");
        }
        assert!(check_password_policy("Abcdefg1!").is_ok());
    }
}
