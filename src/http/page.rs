//! The planner page (`GET /`, `GET /planner`): a coordinator loads a problem, solves it
//! with progress and a cancel button, sees the tours on a map, prints the drivers'
//! sheets and reads the pooling statement, all in the browser, after `serve`.
//!
//! This module owns the page's files and nothing else: HTML, JavaScript and CSS written
//! by hand in `page/` (no build step, no library, no CDN), compiled into the binary with
//! `include_str!` so the page works offline and no data leaves the server, plus the
//! bundled demo problem. The page talks to the server only through the public JSON API
//! (`POST /v1/convert/…`, `POST /v1/operations`, `GET /v1/operations/ID`, `…/watch`,
//! `…/cancel`, `GET /v1/roads`), like any client, with
//! the caller's API key when the server wants one; so the files themselves are open.
//! `POST /` stays vroom-express's endpoint: only `GET /` is the page.
//!
//! | path | file |
//! |---|---|
//! | `/`, `/planner`, `/planner/` | `page/index.html` |
//! | `/planner/app.js` | the flow: load, form, submit, poll, cancel, errors |
//! | `/planner/map.js` | the SVG map and its legend |
//! | `/planner/sheets.js` | the drivers' sheets and the pooling statement |
//! | `/planner/i18n.js` | English and French, by the browser's language |
//! | `/planner/style.css` | screen, phone and print styles |
//! | `/planner/config.json` | the operator's settings: `{"mapTiles": template or null}` |
//! | `/planner/demo.json` | `data/demo/cooperative.json` |
//! | `/planner/vroom-example.json` | `data/vroom/cooperative.json` (read by `POST /v1/convert/vroom`) |
//! | `/planner/dfc-example.jsonld` | `data/dfc/dev-b-two-farms.jsonld` (read by `POST /v1/convert/dfc`) |

use axum::extract::{Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::json;

use super::Http;

/// What the operator set for the page (`serve --map-tiles`), read by the page from
/// `/planner/config.json`.
#[derive(Debug, Clone, Default)]
pub struct PageConfig {
    /// A raster tile URL template with `{z}`, `{x}` and `{y}`; none: the page draws the
    /// road graph's roads alone, and asks nothing of another server.
    map_tiles: Option<String>,
    /// The template's origin (`https://tile.example.org`), which the page's content
    /// security policy then lets images come from.
    tiles_origin: Option<String>,
}

impl PageConfig {
    /// Tiles from `template`: an `http://` or `https://` URL with `{z}`, `{x}`, `{y}`.
    pub fn with_tiles(template: &str) -> Result<Self, String> {
        let rest = template
            .strip_prefix("https://")
            .or_else(|| template.strip_prefix("http://"))
            .ok_or_else(|| format!("--map-tiles {template:?}: not an http:// or https:// URL"))?;
        if let Some(missing) = ["{z}", "{x}", "{y}"]
            .iter()
            .find(|key| !template.contains(**key))
        {
            return Err(format!(
                "--map-tiles {template:?}: no {missing} in the template"
            ));
        }
        let host = rest.split('/').next().unwrap_or_default();
        let scheme_length = template.len() - rest.len();
        let bad = |c: char| c.is_whitespace() || matches!(c, '{' | '}' | '\'' | '"' | ';');
        if host.is_empty() || host.contains(bad) {
            return Err(format!("--map-tiles {template:?}: no host"));
        }
        Ok(PageConfig {
            map_tiles: Some(template.to_string()),
            tiles_origin: Some(format!("{}{host}", &template[..scheme_length])),
        })
    }

    /// The content security policy of the page's files: this server only, and the
    /// tile server's images when there is one.
    fn content_security_policy(&self) -> String {
        let tiles = self
            .tiles_origin
            .as_deref()
            .map_or(String::new(), |origin| format!(" {origin}"));
        format!(
            "default-src 'self'; img-src 'self' data: blob:{tiles}; object-src 'none'; \
             base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
        )
    }
}

/// One embedded file: its name under `/planner/`, its content type, its text.
struct Asset {
    name: &'static str,
    content_type: &'static str,
    text: &'static str,
}

const HTML: &str = "text/html; charset=utf-8";
const JAVASCRIPT: &str = "text/javascript; charset=utf-8";
const CSS: &str = "text/css; charset=utf-8";
const JSON: &str = "application/json";

/// The page itself.
const INDEX: Asset = Asset {
    name: "index.html",
    content_type: HTML,
    text: include_str!("page/index.html"),
};

/// Everything served under `/planner/`.
const ASSETS: [Asset; 9] = [
    INDEX,
    Asset {
        name: "app.js",
        content_type: JAVASCRIPT,
        text: include_str!("page/app.js"),
    },
    Asset {
        name: "map.js",
        content_type: JAVASCRIPT,
        text: include_str!("page/map.js"),
    },
    Asset {
        name: "sheets.js",
        content_type: JAVASCRIPT,
        text: include_str!("page/sheets.js"),
    },
    Asset {
        name: "i18n.js",
        content_type: JAVASCRIPT,
        text: include_str!("page/i18n.js"),
    },
    Asset {
        name: "style.css",
        content_type: CSS,
        text: include_str!("page/style.css"),
    },
    Asset {
        name: "demo.json",
        content_type: JSON,
        text: include_str!("../../data/demo/cooperative.json"),
    },
    Asset {
        name: "vroom-example.json",
        content_type: JSON,
        text: include_str!("../../data/vroom/cooperative.json"),
    },
    Asset {
        name: "dfc-example.jsonld",
        content_type: JSON,
        text: include_str!("../../data/dfc/dev-b-two-farms.jsonld"),
    },
];

/// `GET /`, `GET /planner`, `GET /planner/`: the page.
pub async fn index(State(http): State<Http>) -> Response {
    serve(&INDEX, &http.page)
}

/// `GET /planner/NAME`: one of the page's files, or the API's 404.
pub async fn asset(State(http): State<Http>, Path(name): Path<String>) -> Response {
    match ASSETS.iter().find(|asset| asset.name == name) {
        Some(asset) => serve(asset, &http.page),
        None => super::not_found().await,
    }
}

/// `GET /planner/config.json`: `{"mapTiles": template or null}`.
pub async fn config(State(http): State<Http>) -> Response {
    let body = json!({"mapTiles": http.page.map_tiles});
    let mut response = super::json_response(StatusCode::OK, &body);
    let no_cache = HeaderValue::from_static("no-cache");
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, no_cache);
    response
}

/// `asset` with its content type; revalidated on each load so that a new server
/// version's page is never mixed with an old script.
fn serve(asset: &Asset, page: &PageConfig) -> Response {
    let policy = HeaderValue::from_str(&page.content_security_policy())
        .unwrap_or_else(|_| HeaderValue::from_static("default-src 'self'"));
    (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static(asset.content_type),
            ),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-cache")),
            (
                header::X_CONTENT_TYPE_OPTIONS,
                HeaderValue::from_static("nosniff"),
            ),
            (header::CONTENT_SECURITY_POLICY, policy),
        ],
        asset.text,
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tile_template_opens_its_origin_to_images_only() {
        let page = PageConfig::with_tiles("https://tile.example.org/{z}/{x}/{y}.png").unwrap();
        let policy = page.content_security_policy();
        assert!(
            policy.contains("img-src 'self' data: blob: https://tile.example.org;"),
            "{policy}"
        );
        assert!(policy.starts_with("default-src 'self';"), "{policy}");
        let closed = PageConfig::default().content_security_policy();
        assert!(closed.contains("img-src 'self' data: blob:;"), "{closed}");
        for bad in [
            "tile.example.org/{z}/{x}/{y}",
            "https://t/{z}/{x}.png",
            "https:///{z}/{x}/{y}",
        ] {
            assert!(PageConfig::with_tiles(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn the_page_names_only_files_that_are_served() {
        for reference in INDEX.text.split(['"', '\'']) {
            if let Some(name) = reference.strip_prefix("/planner/") {
                assert!(
                    ASSETS.iter().any(|asset| asset.name == name),
                    "{reference} is not served"
                );
            }
        }
    }

    #[test]
    fn no_file_loads_anything_from_elsewhere() {
        for asset in ASSETS.iter().filter(|asset| asset.content_type != JSON) {
            // The SVG namespace is a name, not a request.
            let namespace = asset.text.matches("http://www.w3.org/2000/svg").count();
            let plain = asset.text.matches("http://").count();
            assert_eq!(plain, namespace, "{} refers to another server", asset.name);
            assert!(!asset.text.contains("https://"), "{}", asset.name);
        }
    }
}
