//! Extractors: who is calling (`Auth`), may he (`Authorized<P>`), in which language (`Lang`),
//! and bodies/paths/queries whose rejections become problem+json.
//!
//! `Authorized<P>` runs before the body is read, so a caller without the right gets 403 even
//! with a malformed body (API-CONVENTIONS: authorization before validation). The decision
//! itself is `Principal::require`, the one place where rights are checked; services call it
//! again, so a handler that forgot the extractor still cannot bypass it.

use crate::AppState;
use crate::problem::{ApiError, wants_english};
use axum::extract::{ConnectInfo, FromRequest, FromRequestParts, Request};
use axum::http::header;
use axum::http::request::Parts;
use serde::de::DeserializeOwned;
use std::marker::PhantomData;
use std::net::SocketAddr;
use usinage_app::error::{AppError, FieldError, Kind};
use usinage_app::rights::{Action, Module};
use usinage_app::{Ctx, auth};

/// `Accept-Language`: French unless the caller asks for English.
#[derive(Debug, Clone, Copy)]
pub struct Lang {
    pub english: bool,
}

impl<S: Send + Sync> FromRequestParts<S> for Lang {
    type Rejection = std::convert::Infallible;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(Lang {
            english: wants_english(&parts.headers),
        })
    }
}

fn request_id(parts: &Parts) -> String {
    parts
        .headers
        .get(&crate::REQUEST_ID)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("-")
        .to_string()
}

fn client_ip(parts: &Parts) -> Option<String> {
    parts
        .extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip().to_string())
}

/// A context without a user (login, refresh).
pub struct Anonymous(pub Ctx);

impl FromRequestParts<AppState> for Anonymous {
    type Rejection = ApiError;
    async fn from_request_parts(parts: &mut Parts, _: &AppState) -> Result<Self, Self::Rejection> {
        Ok(Anonymous(Ctx {
            principal: None,
            request_id: request_id(parts),
            client_ip: client_ip(parts),
        }))
    }
}

/// An authenticated caller. While his password must be changed, only `me`, `logout` and the
/// password change are open to him.
pub struct Auth(pub Ctx);

const OPEN_DURING_PASSWORD_CHANGE: &[&str] = &[
    "/api/v1/auth/me",
    "/api/v1/auth/logout",
    "/api/v1/auth/password",
];

impl FromRequestParts<AppState> for Auth {
    type Rejection = ApiError;
    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let token = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| {
                v.strip_prefix("Bearer ")
                    .or_else(|| v.strip_prefix("bearer "))
            })
            .map(str::trim)
            .filter(|t| !t.is_empty() && t.len() < 200)
            .ok_or_else(AppError::unauthenticated)?;
        let principal = auth::authenticate(&state.db, token).await?;
        if principal.must_change_password
            && !OPEN_DURING_PASSWORD_CHANGE.contains(&parts.uri.path())
        {
            return Err(ApiError(AppError::new(
                Kind::Forbidden,
                "password_change_required",
                "Vous devez d'abord remplacer votre mot de passe provisoire.",
                "You must first replace your temporary password.",
            )));
        }
        Ok(Auth(Ctx::user(
            principal,
            request_id(parts),
            client_ip(parts),
        )))
    }
}

/// A right required by a route, as a type.
pub trait Permission {
    const MODULE: Module;
    const ACTION: Action;
}

macro_rules! permissions {
    ($($name:ident = $m:ident . $a:ident;)*) => {
        $(
            pub struct $name;
            impl Permission for $name {
                const MODULE: Module = Module::$m;
                const ACTION: Action = Action::$a;
            }
        )*
    };
}

permissions! {
    UsersRead = Users.Read;
    UsersCreate = Users.Create;
    UsersUpdate = Users.Update;
    SystemRead = System.Read;
    SystemUpdate = System.Update;
    ToolsRead = Tools.Read;
    ToolsCreate = Tools.Create;
    ToolsUpdate = Tools.Update;
    MaterialsRead = Materials.Read;
    MaterialsCreate = Materials.Create;
    MaterialsUpdate = Materials.Update;
    SystemValidate = System.Validate;
    CrmRead = Crm.Read;
    CrmCreate = Crm.Create;
    CrmUpdate = Crm.Update;
    MachinesRead = Machines.Read;
    MachinesCreate = Machines.Create;
    MachinesUpdate = Machines.Update;
    InstrumentsRead = Instruments.Read;
    InstrumentsCreate = Instruments.Create;
    InstrumentsUpdate = Instruments.Update;
    InstrumentsValidate = Instruments.Validate;
    HrRead = Hr.Read;
    HrCreate = Hr.Create;
    HrUpdate = Hr.Update;
}

/// An authenticated caller holding right `P`.
pub struct Authorized<P>(pub Ctx, pub PhantomData<P>);

impl<P: Permission> FromRequestParts<AppState> for Authorized<P> {
    type Rejection = ApiError;
    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let Auth(ctx) = Auth::from_request_parts(parts, state).await?;
        ctx.require(P::MODULE, P::ACTION)?;
        Ok(Authorized(ctx, PhantomData))
    }
}

/// JSON body whose errors name the offending field, in French.
pub struct ApiJson<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;
    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let is_json = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| {
                v.split(';').next().is_some_and(|m| {
                    m.trim().eq_ignore_ascii_case("application/json") || m.trim().ends_with("+json")
                })
            });
        if !is_json {
            return Err(ApiError(AppError::new(
                Kind::BadRequest,
                "unsupported_media_type",
                "Le corps doit être du JSON (Content-Type: application/json).",
                "The body must be JSON (Content-Type: application/json).",
            )));
        }
        let bytes = bytes::Bytes::from_request(req, state).await.map_err(|_| {
            ApiError(AppError::new(
                Kind::BadRequest,
                "payload_too_large",
                "Le corps de la requête dépasse la taille permise (2 Mo).",
                "The request body exceeds the allowed size (2 MB).",
            ))
        })?;
        let de = &mut serde_json::Deserializer::from_slice(&bytes);
        match serde_path_to_error::deserialize::<_, T>(de) {
            Ok(v) => Ok(ApiJson(v)),
            Err(e) => {
                let path = e.path().to_string();
                let inner = e.into_inner();
                if inner.is_syntax() || inner.is_eof() || path == "." {
                    let missing = inner.to_string();
                    if let Some(field) = missing
                        .strip_prefix("missing field `")
                        .and_then(|s| s.split('`').next())
                    {
                        return Err(ApiError(AppError::validation(vec![FieldError::new(
                            field,
                            "required",
                            format!("Le champ « {field} » est obligatoire."),
                            format!("The field “{field}” is required."),
                        )])));
                    }
                    if inner.is_data() {
                        return Err(ApiError(AppError::validation(vec![FieldError::new(
                            "body",
                            "invalid_type",
                            "Le corps JSON n'a pas la forme attendue (un objet est attendu).",
                            "The JSON body does not have the expected shape (an object is expected).",
                        )])));
                    }
                    return Err(ApiError(AppError::bad_request(
                        format!("JSON mal formé : {inner}"),
                        format!("Malformed JSON: {inner}"),
                    )));
                }
                let msg = inner.to_string();
                let msg = msg.split(" at line").next().unwrap_or(&msg).to_string();
                if let Some(field) = msg
                    .strip_prefix("missing field `")
                    .and_then(|s| s.split('`').next())
                {
                    let full = if path.is_empty() || path == "." {
                        field.to_string()
                    } else {
                        format!("{path}.{field}")
                    };
                    return Err(ApiError(AppError::validation(vec![FieldError::new(
                        &full,
                        "required",
                        format!("Le champ « {full} » est obligatoire."),
                        format!("The field “{full}” is required."),
                    )])));
                }
                Err(ApiError(AppError::validation(vec![FieldError::new(
                    &path,
                    "invalid_type",
                    format!("Valeur de type incorrect pour « {path} » ({msg})."),
                    format!("Wrong value type for “{path}” ({msg})."),
                )])))
            }
        }
    }
}

/// Integer id in the path; anything else is a 404 (no such record can exist).
pub struct Id(pub i64);

impl<S: Send + Sync> FromRequestParts<S> for Id {
    type Rejection = ApiError;
    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let axum::extract::Path(raw) =
            axum::extract::Path::<String>::from_request_parts(parts, state)
                .await
                .map_err(|_| ApiError(AppError::not_found("Enregistrement", "Record")))?;
        raw.parse::<i64>()
            .ok()
            .filter(|v| *v > 0)
            .map(Id)
            .ok_or_else(|| ApiError(AppError::not_found("Enregistrement", "Record")))
    }
}

/// Two positive ids in the path, `/{id}/…/{sub_id}` (a child row of a record); anything else
/// is a 404.
pub struct SubId(pub i64, pub i64);

impl<S: Send + Sync> FromRequestParts<S> for SubId {
    type Rejection = ApiError;
    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let not_found = || ApiError(AppError::not_found("Enregistrement", "Record"));
        let axum::extract::Path((a, b)) =
            axum::extract::Path::<(String, String)>::from_request_parts(parts, state)
                .await
                .map_err(|_| not_found())?;
        let parse = |raw: &str| raw.parse::<i64>().ok().filter(|v| *v > 0);
        match (parse(&a), parse(&b)) {
            (Some(a), Some(b)) => Ok(SubId(a, b)),
            _ => Err(not_found()),
        }
    }
}

/// Query string whose errors are problem+json.
pub struct ApiQuery<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = ApiError;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let q = parts.uri.query().unwrap_or("");
        serde_urlencoded_from(q).map(ApiQuery).map_err(|m| {
            ApiError(AppError::bad_request(
                format!("Paramètres d'URL invalides : {m}"),
                format!("Invalid query parameters: {m}"),
            ))
        })
    }
}

fn serde_urlencoded_from<T: DeserializeOwned>(q: &str) -> Result<T, String> {
    axum::extract::Query::<T>::try_from_uri(
        &format!("/?{q}").parse().map_err(|_| "URL".to_string())?,
    )
    .map(|v| v.0)
    .map_err(|e| e.body_text())
}
