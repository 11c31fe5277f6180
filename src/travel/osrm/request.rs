//! The HTTP side of the OSRM client: URLs in OSRM's `lon,lat` order, the GET or POST of
//! a table request, retries of the connections a server drops, and reading OSRM's JSON
//! answers (error answers included) into [`Answer`] or an [`OsrmError`].

use std::io::Read;
use std::time::Duration;

use serde::Deserialize;
use serde_json::{Value, json};

use super::blocks::TableRequest;
use super::{OsrmClient, OsrmError};

/// First pause before a retry, doubled each time.
const BACKOFF: Duration = Duration::from_millis(100);

/// `lon,lat;lon,lat…` with 6 decimals, OSRM's precision.
pub(super) fn coordinates_path(points_lat_lon_deg: &[(f64, f64)], indices: &[usize]) -> String {
    let each = indices.iter().map(|&i| points_lat_lon_deg[i]);
    each.map(|(lat, lon)| format!("{lon:.6},{lat:.6}"))
        .collect::<Vec<_>>()
        .join(";")
}

fn index_list(indices: &[usize]) -> String {
    indices
        .iter()
        .map(usize::to_string)
        .collect::<Vec<_>>()
        .join(";")
}

/// Any OSRM answer, error answers included (they carry only `code` and `message`).
#[derive(Debug, Deserialize)]
pub(super) struct Answer {
    pub(super) code: String,
    #[serde(default)]
    pub(super) message: String,
    pub(super) durations: Option<Vec<Vec<Option<f64>>>>,
    pub(super) distances: Option<Vec<Vec<Option<f64>>>>,
    #[serde(default)]
    pub(super) sources: Vec<Waypoint>,
    #[serde(default)]
    pub(super) routes: Vec<RouteLine>,
}

#[derive(Debug, Deserialize)]
pub(super) struct Waypoint {
    pub(super) location: [f64; 2],
    #[serde(default)]
    pub(super) distance: f64,
}

#[derive(Debug, Deserialize)]
pub(super) struct RouteLine {
    pub(super) geometry: String,
    pub(super) duration: f64,
    pub(super) distance: f64,
}

/// An error and its causes on one line: reqwest's own message ("error sending request")
/// says little, the cause ("Connection refused") is further down the chain.
pub(super) fn chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text = format!("{text}: {cause}");
        source = cause.source();
    }
    text
}

/// The start of a body, for messages.
fn snippet(body: &[u8]) -> String {
    String::from_utf8_lossy(&body[..body.len().min(200)]).into_owned()
}

/// Why one HTTP exchange failed.
enum Failure {
    /// Sending, connecting, or the status line.
    Http(reqwest::Error),
    /// Reading the body.
    Body(std::io::Error),
    /// The body is longer than the client accepts.
    TooLarge,
}

impl Failure {
    /// Worth another try: a dropped connection, not a timeout.
    fn is_transient(&self) -> bool {
        match self {
            Failure::Http(e) => {
                !e.is_timeout() && (e.is_connect() || e.is_request() || e.is_body())
            }
            Failure::Body(e) => e.kind() != std::io::ErrorKind::TimedOut,
            Failure::TooLarge => false,
        }
    }

    fn describe(self) -> String {
        match self {
            Failure::Http(e) => chain(&e.without_url()),
            Failure::Body(e) => chain(&e),
            Failure::TooLarge => "answer too large".into(),
        }
    }
}

/// The body, read in chunks and refused once it exceeds `max_bytes` (whatever the
/// `Content-Length` says, which a server may omit).
fn read_capped(response: reqwest::blocking::Response, max_bytes: u64) -> Result<Vec<u8>, Failure> {
    if response
        .content_length()
        .is_some_and(|length| length > max_bytes)
    {
        return Err(Failure::TooLarge);
    }
    let mut bytes = Vec::new();
    response
        .take(max_bytes + 1)
        .read_to_end(&mut bytes)
        .map_err(Failure::Body)?;
    if bytes.len() as u64 > max_bytes {
        return Err(Failure::TooLarge);
    }
    Ok(bytes)
}

impl OsrmClient {
    /// GET while the URL is short enough, else POST with the same content as JSON.
    pub(super) fn table_request(
        &self,
        points: &[(f64, f64)],
        request: &TableRequest,
    ) -> Result<Answer, OsrmError> {
        let (coords, lists) = request.wire();
        let path = coordinates_path(points, &coords);
        let mut url = format!(
            "{}/{path}?annotations=duration,distance",
            self.endpoint("table")
        );
        if let Some((sources, destinations)) = &lists {
            let (s, d) = (index_list(sources), index_list(destinations));
            url.push_str(&format!("&sources={s}&destinations={d}"));
        }
        if url.len() <= self.post_threshold_bytes {
            return self.call("table", &url, None);
        }
        // Rounded as in the URL, so that GET and POST ask exactly the same.
        let round6 = |x: f64| (x * 1e6).round() / 1e6;
        let coordinates: Vec<[f64; 2]> = coords
            .iter()
            .map(|&i| [round6(points[i].1), round6(points[i].0)])
            .collect();
        let mut body =
            json!({ "coordinates": coordinates, "annotations": ["duration", "distance"] });
        if let Some((sources, destinations)) = lists {
            body["sources"] = json!(sources);
            body["destinations"] = json!(destinations);
        }
        self.call("table", &self.endpoint("table"), Some(&body))
    }

    /// One request (POST when there is a body), retried on connection failures, and its
    /// answer when the code is "Ok".
    pub(super) fn call(
        &self,
        service: &str,
        url: &str,
        body: Option<&Value>,
    ) -> Result<Answer, OsrmError> {
        let mut attempt = 0;
        let (status, bytes) = loop {
            let request = match body {
                Some(body) => self.http.post(url).json(body),
                None => self.http.get(url),
            };
            let result = request.send().map_err(Failure::Http).and_then(|response| {
                let status = response.status();
                read_capped(response, self.max_answer_bytes).map(|bytes| (status, bytes))
            });
            match result {
                Ok(answer) => break answer,
                Err(Failure::TooLarge) => {
                    let message = format!("the answer exceeds {} bytes", self.max_answer_bytes);
                    return Err(self.answer_error(service, "AnswerTooLarge", message));
                }
                // Not after a timeout: the server is busy or the table too big, and waiting
                // again would only multiply the delay.
                Err(failure) if attempt < self.retries && failure.is_transient() => {
                    std::thread::sleep(BACKOFF * 2u32.pow(attempt));
                    attempt += 1;
                }
                Err(failure) => {
                    let message = format!("{} ({attempt} retries)", failure.describe());
                    return Err(self.unavailable(service, message));
                }
            }
        };
        match serde_json::from_slice::<Answer>(&bytes) {
            Ok(answer) if answer.code == "Ok" && status.is_success() => Ok(answer),
            Ok(answer) => Err(self.answer_error(service, &answer.code, answer.message)),
            // No OSRM JSON behind an error status: a gateway in front of a server that is down.
            Err(_) if matches!(status.as_u16(), 502..=504) => {
                Err(self.unavailable(service, format!("HTTP {status}")))
            }
            Err(_) if !status.is_success() => {
                let code = format!("HTTP {}", status.as_u16());
                Err(self.answer_error(service, &code, snippet(&bytes)))
            }
            Err(e) => {
                Err(self.bad_answer(service, format!("{e}; answer begins {:?}", snippet(&bytes))))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_are_lon_lat_with_six_decimals() -> Result<(), OsrmError> {
        let points = [(47.1606641, 9.5068609), (-33.5, -70.25)];
        let path = "9.506861,47.160664;-70.250000,-33.500000";
        assert_eq!(
            (coordinates_path(&points, &[0, 1]), index_list(&[3, 4])),
            (path.into(), "3;4".into())
        );
        let client = OsrmClient::new("http://127.0.0.1:5000/", Duration::from_secs(1))?;
        assert_eq!(
            client.endpoint("table"),
            "http://127.0.0.1:5000/table/v1/driving"
        );
        assert!(OsrmClient::new("https://example.org", Duration::from_secs(1)).is_err());
        assert!(OsrmClient::new("not a url", Duration::from_secs(1)).is_err());
        Ok(())
    }

    #[test]
    fn parses_answers_with_null_cells_and_errors() -> Result<(), serde_json::Error> {
        let body = r#"{"code":"Ok","durations":[[0,12.5],[null,0]],"distances":[[0,100.2],[null,0]],
            "sources":[{"hint":"x","location":[9.5,47.1],"name":"A","distance":3.25},
                       {"location":[9.6,47.2],"name":"B","distance":0}],
            "destinations":[{"location":[9.5,47.1]},{"location":[9.6,47.2]}]}"#;
        let answer: Answer = serde_json::from_str(body)?;
        let expected = vec![vec![Some(0.0), Some(12.5)], vec![None, Some(0.0)]];
        assert_eq!(
            (answer.code.as_str(), answer.durations),
            ("Ok", Some(expected))
        );
        assert_eq!(answer.distances.map(|d| d[1][0]), Some(None));
        assert_eq!(
            (answer.sources[0].location, answer.sources[0].distance),
            ([9.5, 47.1], 3.25)
        );
        let body = r#"{"code":"TooBig","message":"Too many table coordinates"}"#;
        let answer: Answer = serde_json::from_str(body)?;
        assert_eq!(
            (answer.code.as_str(), answer.message.as_str()),
            ("TooBig", "Too many table coordinates")
        );
        assert!(answer.durations.is_none() && answer.routes.is_empty());
        let url = "http://h:1/table/v1/driving".to_string();
        let error = OsrmError::Answer {
            url,
            code: "TooBig".into(),
            message: "m".into(),
        };
        assert_eq!(
            error.to_string(),
            "OSRM server http://h:1/table/v1/driving answered TooBig: m"
        );
        Ok(())
    }

    /// Serves one canned HTTP answer on a loopback port; the client's base URL.
    fn one_answer(answer: &'static str) -> String {
        use std::io::Write;
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        std::thread::spawn(move || {
            if let Ok((mut stream, _)) = listener.accept() {
                let mut request = [0u8; 4096];
                let _ = stream.read(&mut request);
                let _ = stream.write_all(answer.as_bytes());
            }
        });
        url
    }

    #[test]
    fn refuses_redirects_large_answers_and_too_many_requests() -> Result<(), OsrmError> {
        let points = [(47.1, 9.5), (47.2, 9.6)];
        let redirect = "HTTP/1.1 302 Found\r\nLocation: http://127.0.0.1:1/\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
        let client = OsrmClient::new(&one_answer(redirect), Duration::from_secs(5))?;
        let error = client.table(&points).unwrap_err();
        assert!(
            matches!(&error, OsrmError::Answer { code, .. } if code == "HTTP 302"),
            "{error}"
        );
        let large = "HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n{\"code\":\"Ok\",\"padding\":\"0123456789\"}";
        let client =
            OsrmClient::new(&one_answer(large), Duration::from_secs(5))?.with_max_answer_bytes(16);
        let error = client.table(&points).unwrap_err();
        assert!(
            matches!(&error, OsrmError::Answer { code, .. } if code == "AnswerTooLarge"),
            "{error}"
        );
        // 100 points in tables of 2: 10,000 requests, refused before any is sent.
        let many: Vec<(f64, f64)> = (0..100)
            .map(|i| (47.0, 9.0 + f64::from(i) * 0.001))
            .collect();
        let client =
            OsrmClient::new("http://127.0.0.1:1", Duration::from_secs(5))?.with_max_table_size(1);
        let error = client.table(&many).unwrap_err();
        assert!(
            matches!(&error, OsrmError::Answer { code, .. } if code == "TooManyRequests"),
            "{error}"
        );
        Ok(())
    }
}
