//! The one error type of the services. The API turns it into RFC 9457 problem+json.

use serde::Serialize;

/// A user-facing message in French (default) and English.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Msg {
    pub fr: String,
    pub en: String,
}

impl Msg {
    pub fn new(fr: impl Into<String>, en: impl Into<String>) -> Self {
        Msg {
            fr: fr.into(),
            en: en.into(),
        }
    }
    pub fn get(&self, english: bool) -> &str {
        if english { &self.en } else { &self.fr }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldError {
    pub field: String,
    pub code: String,
    pub message: Msg,
}

impl FieldError {
    pub fn new(field: &str, code: &str, fr: impl Into<String>, en: impl Into<String>) -> Self {
        FieldError {
            field: field.into(),
            code: code.into(),
            message: Msg::new(fr, en),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    BadRequest,
    Unauthenticated,
    Forbidden,
    NotFound,
    Conflict,
    Validation,
    TooManyRequests { retry_after_secs: u64 },
    Unavailable,
    Internal,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppError {
    pub kind: Kind,
    /// Stable machine code, e.g. `validation`, `stale_version`, `forbidden`.
    pub code: &'static str,
    pub detail: Msg,
    pub errors: Vec<FieldError>,
}

impl std::fmt::Display for AppError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.code, self.detail.en)
    }
}

impl std::error::Error for AppError {}

impl AppError {
    pub fn new(
        kind: Kind,
        code: &'static str,
        fr: impl Into<String>,
        en: impl Into<String>,
    ) -> Self {
        AppError {
            kind,
            code,
            detail: Msg::new(fr, en),
            errors: vec![],
        }
    }
    pub fn validation(errors: Vec<FieldError>) -> Self {
        let detail = match errors.as_slice() {
            [one] => Msg::new(one.message.fr.clone(), one.message.en.clone()),
            _ => Msg::new(
                format!("{} champs sont invalides.", errors.len()),
                format!("{} fields are invalid.", errors.len()),
            ),
        };
        AppError {
            kind: Kind::Validation,
            code: "validation",
            detail,
            errors,
        }
    }
    pub fn field(field: &str, code: &str, fr: impl Into<String>, en: impl Into<String>) -> Self {
        Self::validation(vec![FieldError::new(field, code, fr, en)])
    }
    pub fn not_found(what_fr: &str, what_en: &str) -> Self {
        Self::new(
            Kind::NotFound,
            "not_found",
            format!("{what_fr} introuvable."),
            format!("{what_en} not found."),
        )
    }
    pub fn forbidden(fr: impl Into<String>, en: impl Into<String>) -> Self {
        Self::new(Kind::Forbidden, "forbidden", fr, en)
    }
    pub fn unauthenticated() -> Self {
        Self::new(
            Kind::Unauthenticated,
            "unauthenticated",
            "Vous devez vous connecter (jeton absent, expiré ou révoqué).",
            "You must log in (token missing, expired or revoked).",
        )
    }
    pub fn stale_version() -> Self {
        Self::new(
            Kind::Conflict,
            "stale_version",
            "Cet enregistrement a été modifié par quelqu'un d'autre entre-temps : rechargez-le puis refaites votre modification.",
            "This record was changed by someone else meanwhile: reload it and make your change again.",
        )
    }
    pub fn bad_request(fr: impl Into<String>, en: impl Into<String>) -> Self {
        Self::new(Kind::BadRequest, "bad_request", fr, en)
    }
    pub fn internal(context: &str) -> Self {
        Self::new(
            Kind::Internal,
            "internal",
            format!("Erreur interne ({context}). L'incident est journalisé."),
            format!("Internal error ({context}). The incident is logged."),
        )
    }
}

impl From<sea_orm::DbErr> for AppError {
    fn from(e: sea_orm::DbErr) -> Self {
        let text = e.to_string();
        tracing::error!(error = %text, "database error");
        let lower = text.to_lowercase();
        if lower.contains("unique") || lower.contains("duplicate key") {
            return AppError::new(
                Kind::Conflict,
                "conflict",
                "Cette valeur existe déjà.",
                "This value already exists.",
            );
        }
        if lower.contains("pool timed out")
            || lower.contains("connection refused")
            || lower.contains("broken pipe")
        {
            return AppError::new(
                Kind::Unavailable,
                "database_unavailable",
                "La base de données est momentanément indisponible ; réessayez.",
                "The database is temporarily unavailable; try again.",
            );
        }
        AppError::internal("base de données")
    }
}

/// Collects field errors, then fails once with all of them (a form shows every problem at once).
#[derive(Default, Debug)]
pub struct Validator {
    pub errors: Vec<FieldError>,
}

impl Validator {
    pub fn push(&mut self, e: FieldError) {
        self.errors.push(e);
    }
    pub fn add(&mut self, field: &str, code: &str, fr: impl Into<String>, en: impl Into<String>) {
        self.errors.push(FieldError::new(field, code, fr, en));
    }
    pub fn finish(self) -> Result<(), AppError> {
        if self.errors.is_empty() {
            Ok(())
        } else {
            Err(AppError::validation(self.errors))
        }
    }
}
