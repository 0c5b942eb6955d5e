//! Who is acting, and in which request.

use crate::error::AppError;
use crate::rights::{Action, Module, RowScope};
use std::collections::HashSet;

/// An authenticated user as the services see it: identity, roles and the effective rights
/// computed from the matrix at the start of this request (so a change applies on the next one).
#[derive(Debug, Clone)]
pub struct Principal {
    pub user_id: i64,
    pub login: String,
    pub full_name: String,
    pub roles: Vec<String>,
    pub must_change_password: bool,
    pub session_id: i64,
    pub grants: HashSet<(Module, Action)>,
}

impl Principal {
    pub fn can(&self, module: Module, action: Action) -> bool {
        self.grants.contains(&(module, action))
    }
    pub fn is_admin(&self) -> bool {
        self.roles.iter().any(|r| r == "admin")
    }
    /// The single place where a missing right becomes a 403 with a French message.
    pub fn require(&self, module: Module, action: Action) -> Result<(), AppError> {
        if self.can(module, action) {
            return Ok(());
        }
        Err(AppError::forbidden(
            format!(
                "Accès refusé : votre profil ne permet pas de {} dans le module « {} ».",
                action.label_fr_verb(),
                module.label_fr()
            ),
            format!(
                "Access denied: your profile may not {} in the “{}” module.",
                action.label_en_verb(),
                module.label_en()
            ),
        ))
    }
    /// Row rule for lists of `module` (e.g. an operator sees only his own tasks).
    pub fn row_scope(&self, module: Module) -> RowScope {
        crate::rights::row_scope(self, module)
    }
}

/// The context of one service call.
#[derive(Debug, Clone)]
pub struct Ctx {
    /// `None` for the system itself (CLI, background jobs, demo loader).
    pub principal: Option<Principal>,
    pub request_id: String,
    pub client_ip: Option<String>,
}

impl Ctx {
    pub fn system(what: &str) -> Ctx {
        Ctx {
            principal: None,
            request_id: format!("system:{what}"),
            client_ip: None,
        }
    }
    pub fn user(p: Principal, request_id: String, client_ip: Option<String>) -> Ctx {
        Ctx {
            principal: Some(p),
            request_id,
            client_ip,
        }
    }
    pub fn actor_id(&self) -> Option<i64> {
        self.principal.as_ref().map(|p| p.user_id)
    }
    pub fn actor_login(&self) -> &str {
        self.principal
            .as_ref()
            .map(|p| p.login.as_str())
            .unwrap_or("système")
    }
    /// System calls may do everything; users need the right.
    pub fn require(&self, module: Module, action: Action) -> Result<(), AppError> {
        match &self.principal {
            None => Ok(()),
            Some(p) => p.require(module, action),
        }
    }
}
