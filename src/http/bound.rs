//! The server's bound on request bytes held at once (`--max-request-bytes-in-flight`,
//! `server::RequestBytes`), kept by the HTTP door as the gRPC listener keeps it: a body
//! that announces its length is counted whole before any of it is read, one that does
//! not is counted chunk by chunk as it arrives, and the bytes stay counted until the
//! answer has gone out. A call that would take the server past its bound is refused with
//! 429 (RESOURCE_EXHAUSTED) and `Retry-After`, before its body is parsed.
//!
//! Why here and not in each endpoint: every route, those to come included, is counted
//! without knowing it; the endpoints still check the key before they read a byte, since
//! counting happens as the body is read, not before.

use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::header;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http_body::{Body as HttpBody, Frame, SizeHint};

use super::error::ApiError;
use crate::api::status::status;
use crate::server::{Holding, MAX_DECODING_MESSAGE_BYTES, RequestBytes, Share};

/// What a counted body fails with when its next chunk does not fit
/// (`Error::BytesBusy`); the endpoint reading it answers with it ([`refusal`]).
#[derive(Debug, thiserror::Error)]
#[error(transparent)]
pub struct BytesRefused(pub crate::error::Error);

/// The middleware: counts the call's body against `pool` and holds its share until the
/// answer is gone.
pub async fn bound(
    State(pool): State<Arc<RequestBytes>>,
    request: Request,
    next: Next,
) -> Response {
    let share = Arc::new(pool.share());
    let announced = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|value| value.to_str().ok()?.parse::<usize>().ok());
    // A body over what any endpoint reads is refused by the endpoint (413) without being
    // read: it never holds its bytes, and a retry would not help.
    let announced = announced.filter(|&length| length <= MAX_DECODING_MESSAGE_BYTES);
    if let Some(length) = announced
        && !share.take(length)
    {
        return refusal(&pool.refusal_error()).into_response();
    }
    let counting = announced.is_none();
    let request = request.map(|body| {
        Body::new(Counted {
            inner: body,
            pool: pool.clone(),
            share: share.clone(),
            counting,
        })
    });
    next.run(request)
        .await
        .map(|body| Body::new(Holding::new(body, share)))
}

/// The refusal of a call whose bytes do not fit.
pub fn refusal(error: &crate::error::Error) -> ApiError {
    ApiError::from_status(&status(error))
}

/// A request body counted chunk by chunk.
struct Counted {
    inner: Body,
    pool: Arc<RequestBytes>,
    share: Arc<Share>,
    /// False when the whole length was counted up front.
    counting: bool,
}

impl HttpBody for Counted {
    type Data = Bytes;
    type Error = axum::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        context: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, axum::Error>>> {
        let polled = Pin::new(&mut self.inner).poll_frame(context);
        let Poll::Ready(Some(Ok(frame))) = polled else {
            return polled;
        };
        let bytes = frame.data_ref().map_or(0, Bytes::len);
        if !self.counting || self.share.take(bytes) {
            return Poll::Ready(Some(Ok(frame)));
        }
        self.counting = false;
        let refused = BytesRefused(self.pool.refusal_error());
        Poll::Ready(Some(Err(axum::Error::new(refused))))
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.inner.size_hint()
    }
}
