//! The planner page (`GET /`, `GET /planner`): a coordinator loads a problem, solves it
//! with progress and a cancel button, sees the tours on a map, prints the drivers'
//! sheets and reads the pooling statement, all in the browser, after `serve`.
//!
//! This module owns the page's files and nothing else: HTML, JavaScript and CSS written
//! by hand in `page/` (no build step, no library, no CDN), compiled into the binary with
//! `include_str!` so the page works offline and no data leaves the server, plus the
//! bundled demo problem. The page talks to the server only through the public JSON API
//! (`POST /v1/operations`, `GET /v1/operations/ID`, `…/cancel`), like any client, with
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
//! | `/planner/demo.json` | `data/demo/cooperative.json` |

use axum::extract::Path;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};

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

/// Scripts and styles from this server only; no frames, plugins or foreign requests.
const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; img-src 'self' data: blob:; \
     object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/// The page itself.
const INDEX: Asset = Asset {
    name: "index.html",
    content_type: HTML,
    text: include_str!("page/index.html"),
};

/// Everything served under `/planner/`.
const ASSETS: [Asset; 7] = [
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
];

/// `GET /`, `GET /planner`, `GET /planner/`: the page.
pub async fn index() -> Response {
    serve(&INDEX)
}

/// `GET /planner/NAME`: one of the page's files, or the API's 404.
pub async fn asset(Path(name): Path<String>) -> Response {
    match ASSETS.iter().find(|asset| asset.name == name) {
        Some(asset) => serve(asset),
        None => super::not_found().await,
    }
}

/// `asset` with its content type; revalidated on each load so that a new server
/// version's page is never mixed with an old script.
fn serve(asset: &Asset) -> Response {
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
            (
                header::CONTENT_SECURITY_POLICY,
                HeaderValue::from_static(CONTENT_SECURITY_POLICY),
            ),
        ],
        asset.text,
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

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
