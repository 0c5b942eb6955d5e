//! The one list grammar (API-CONVENTIONS.md): `page`, `per_page` ≤ 500, `sort=field|-field`, `q`.

use crate::error::{AppError, Validator};
use serde::{Deserialize, Serialize};

pub const MAX_PER_PAGE: u64 = 500;
pub const DEFAULT_PER_PAGE: u64 = 50;
/// Exports return every matching row up to this bound (a shop's users, tools, clients…).
pub const MAX_EXPORT_ROWS: u64 = 100_000;

#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListParams {
    /// Page number, from 1.
    pub page: Option<String>,
    /// Rows per page, 1–500 (default 50).
    pub per_page: Option<String>,
    /// Sort field, `-` prefix for descending (e.g. `-created_at`).
    pub sort: Option<String>,
    /// Free-text search.
    pub q: Option<String>,
    /// `json` (default), `csv` or `xlsx`.
    pub format: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Json,
    Csv,
    Xlsx,
}

#[derive(Debug, Clone)]
pub struct ListQuery {
    pub page: u64,
    pub per_page: u64,
    /// (field, descending)
    pub sort: Option<(String, bool)>,
    pub q: Option<String>,
    pub format: Format,
}

impl ListQuery {
    /// Validates the common parameters; `sortable` lists the accepted sort fields.
    pub fn parse(p: &ListParams, sortable: &[&str]) -> Result<ListQuery, AppError> {
        let mut v = Validator::default();
        let page = match p.page.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            None => 1,
            Some(s) => match s.parse::<u64>() {
                Ok(n) if (1..=1_000_000).contains(&n) => n,
                _ => {
                    v.add(
                        "page",
                        "invalid_page",
                        "La page doit être un entier à partir de 1.",
                        "page must be an integer from 1.",
                    );
                    1
                }
            },
        };
        let per_page = match p
            .per_page
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            None => DEFAULT_PER_PAGE,
            Some(s) => match s.parse::<u64>() {
                Ok(n) if (1..=MAX_PER_PAGE).contains(&n) => n,
                _ => {
                    v.add(
                        "per_page",
                        "invalid_per_page",
                        "Le nombre de lignes par page doit être entre 1 et 500.",
                        "per_page must be between 1 and 500.",
                    );
                    DEFAULT_PER_PAGE
                }
            },
        };
        let sort = match p.sort.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            None => None,
            Some(s) => {
                let (field, desc) = match s.strip_prefix('-') {
                    Some(f) => (f, true),
                    None => (s, false),
                };
                if sortable.contains(&field) {
                    Some((field.to_string(), desc))
                } else {
                    v.add(
                        "sort",
                        "invalid_sort",
                        format!(
                            "Tri impossible sur « {field} » (champs possibles : {}).",
                            sortable.join(", ")
                        ),
                        format!(
                            "Cannot sort on “{field}” (allowed: {}).",
                            sortable.join(", ")
                        ),
                    );
                    None
                }
            }
        };
        let format = match p.format.as_deref().map(str::trim) {
            None | Some("") | Some("json") => Format::Json,
            Some("csv") => Format::Csv,
            Some("xlsx") => Format::Xlsx,
            Some(other) => {
                v.add(
                    "format",
                    "invalid_format",
                    format!("Format inconnu « {other} » (json, csv ou xlsx)."),
                    format!("Unknown format “{other}” (json, csv or xlsx)."),
                );
                Format::Json
            }
        };
        let q =
            p.q.as_deref()
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(|s| s.chars().take(200).collect());
        v.finish()?;
        Ok(ListQuery {
            page,
            per_page,
            sort,
            q,
            format,
        })
    }

    /// A `LIKE` pattern for `q`, with the wildcard characters typed by the user escaped away.
    pub fn like_pattern(&self) -> Option<String> {
        self.q
            .as_ref()
            .map(|q| format!("%{}%", q.to_lowercase().replace(['%', '_', '\\'], "")))
    }

    /// (page index from 0, page size) for the paginator; exports take everything at once.
    pub fn window(&self) -> (u64, u64) {
        match self.format {
            Format::Json => (self.page - 1, self.per_page),
            _ => (0, MAX_EXPORT_ROWS),
        }
    }
}

/// Runs a filtered, sorted select for this query: one page for JSON, every row for exports.
pub async fn fetch_page<E, C>(
    select: sea_orm::Select<E>,
    q: &ListQuery,
    db: &C,
) -> Result<Page<E::Model>, AppError>
where
    E: sea_orm::EntityTrait,
    E::Model: sea_orm::FromQueryResult + Send + Sync,
    C: sea_orm::ConnectionTrait,
{
    use sea_orm::PaginatorTrait;
    let (page, size) = q.window();
    let pager = select.paginate(db, size);
    let total = pager.num_items().await?;
    let items = pager.fetch_page(page).await?;
    Ok(Page {
        items,
        total,
        page: q.page,
        per_page: q.per_page,
    })
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub total: u64,
    pub page: u64,
    pub per_page: u64,
}

/// Parses an optional boolean filter (`true`/`false`, also `1`/`0`, `oui`/`non`).
pub fn parse_bool(field: &str, value: Option<&str>) -> Result<Option<bool>, AppError> {
    match value.map(str::trim) {
        None | Some("") => Ok(None),
        Some("true" | "1" | "oui" | "yes") => Ok(Some(true)),
        Some("false" | "0" | "non" | "no") => Ok(Some(false)),
        Some(other) => Err(AppError::field(
            field,
            "invalid_bool",
            format!("Valeur « {other} » invalide : true ou false attendu."),
            format!("Invalid value “{other}”: true or false expected."),
        )),
    }
}

/// Parses an optional calendar date filter `YYYY-MM-DD`.
pub fn parse_date(field: &str, value: Option<&str>) -> Result<Option<chrono::NaiveDate>, AppError> {
    match value.map(str::trim) {
        None | Some("") => Ok(None),
        Some(s) => chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d")
            .map(Some)
            .map_err(|_| {
                AppError::field(
                    field,
                    "invalid_date",
                    format!("Date « {s} » invalide : format AAAA-MM-JJ attendu."),
                    format!("Invalid date “{s}”: YYYY-MM-DD expected."),
                )
            }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(page: &str, per_page: &str, sort: &str) -> ListParams {
        ListParams {
            page: Some(page.into()),
            per_page: Some(per_page.into()),
            sort: Some(sort.into()),
            q: None,
            format: None,
        }
    }

    #[test]
    fn defaults_and_bounds() {
        let q = ListQuery::parse(&ListParams::default(), &["login"]).unwrap();
        assert_eq!((q.page, q.per_page, q.sort), (1, 50, None));
        let q = ListQuery::parse(&params("3", "500", "-login"), &["login"]).unwrap();
        assert_eq!(
            (q.page, q.per_page, q.sort),
            (3, 500, Some(("login".into(), true)))
        );
    }

    #[test]
    fn bad_paging_and_unknown_sort_fields_are_refused_together() {
        let e = ListQuery::parse(&params("0", "501", "password_hash"), &["login"]).unwrap_err();
        let fields: Vec<_> = e.errors.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(fields, ["page", "per_page", "sort"]);
    }

    #[test]
    fn like_wildcards_typed_by_users_are_neutralised() {
        let q = ListQuery::parse(
            &ListParams {
                q: Some(" 50%_Du ".into()),
                ..Default::default()
            },
            &[],
        )
        .unwrap();
        assert_eq!(q.like_pattern().unwrap(), "%50du%");
    }
}
