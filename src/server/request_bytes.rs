//! A server-wide bound on the bytes of requests held at once
//! (`serve --max-request-bytes-in-flight`), in front of `tournee.v1.Routing`, before
//! anything decodes a request.
//!
//! Why: admission control (`admission.rs`) counts calls once their request is decoded,
//! so it bounds the requests waiting and running (`--max-concurrent-solves` +
//! `--max-queue`, each up to [`super::MAX_DECODING_MESSAGE_BYTES`]), but not the
//! requests still arriving, which tonic buffers whole before decoding: a thousand
//! clients each sending 64 MiB would make the server buffer 64 GB. Here every call's
//! body is counted frame by frame as it arrives (its `content-length` at once when it
//! sends one); a call whose bytes would take the server past its bound is refused at
//! that frame with RESOURCE_EXHAUSTED and a retry delay, before its message is decoded.
//! A call's bytes stay counted until its answer has gone out (for SolveStream, the
//! whole stream), so the bound covers the requests arriving, queued and running.
//!
//! What this does not bound: a message's decoded size, which can be larger than its
//! bytes, since the request limits are checked once the message is decoded. The codec
//! (`pb::WireDecoder`) refuses a message with more than 100,000 entries of one top-level
//! list before decoding it (an empty `vehicles` entry is 2 bytes on the wire and 336 in
//! memory); lists nested in entries still decode to up to ~12 times their bytes.
//!
//! The layer also names each call's method in its extensions ([`CalledMethod`]), so the
//! key check, which runs after it and sees no URI, can count its refusals by method.

use std::convert::Infallible;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::task::{Context, Poll};

use http_body::{Body as HttpBody, Frame, SizeHint};
use tonic::body::Body;
use tonic::codegen::{BoxFuture, Bytes, Service, http};
use tonic::server::NamedService;

use super::metrics::{BytesGauge, CalledMethod, Metrics};
use crate::api::status::status;
use crate::error::Error;
use crate::error::RETRY_AFTER_MS;

/// Request bytes a server holds at most by default: 512 MiB, eight largest requests.
pub const DEFAULT_MAX_REQUEST_BYTES_IN_FLIGHT: usize = 512 * 1024 * 1024;

/// The bytes every call holds, against the bound.
#[derive(Debug)]
pub struct RequestBytes {
    max_bytes: usize,
    held: AtomicUsize,
}

impl RequestBytes {
    /// At most `max_bytes` held at once.
    pub fn new(max_bytes: usize) -> Arc<Self> {
        Arc::new(RequestBytes {
            max_bytes,
            held: AtomicUsize::new(0),
        })
    }

    /// Bytes held now.
    pub fn held(&self) -> usize {
        self.held.load(Ordering::Acquire)
    }

    /// Takes `bytes` more if they fit.
    fn reserve(&self, bytes: usize) -> bool {
        self.held
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |held| {
                held.checked_add(bytes)
                    .filter(|total| *total <= self.max_bytes)
            })
            .is_ok()
    }

    /// Why a call that does not fit is refused.
    pub fn refusal_error(&self) -> Error {
        Error::BytesBusy {
            max_bytes: self.max_bytes,
            retry_after_ms: RETRY_AFTER_MS,
        }
    }

    /// The refusal of a call that does not fit.
    fn refusal(&self) -> tonic::Status {
        status(&self.refusal_error())
    }

    /// A share of the bound for one call (the HTTP door counts its bodies with it).
    pub fn share(self: &Arc<Self>) -> Share {
        Share {
            pool: self.clone(),
            bytes: AtomicUsize::new(0),
        }
    }
}

/// One call's bytes: given back when both its request body and its answer are gone.
#[derive(Debug)]
pub struct Share {
    pool: Arc<RequestBytes>,
    bytes: AtomicUsize,
}

impl Share {
    /// Takes `bytes` more for this call, if they fit in the bound.
    pub fn take(&self, bytes: usize) -> bool {
        let taken = self.pool.reserve(bytes);
        if taken {
            self.bytes.fetch_add(bytes, Ordering::AcqRel);
        }
        taken
    }
}

impl Drop for Share {
    fn drop(&mut self) {
        let bytes = *self.bytes.get_mut();
        self.pool.held.fetch_sub(bytes, Ordering::AcqRel);
    }
}

/// A service behind the bound (the Routing service with its key check).
#[derive(Debug, Clone)]
pub struct Bounded<S> {
    inner: S,
    pool: Arc<RequestBytes>,
    metrics: Arc<Metrics>,
}

impl<S> Bounded<S> {
    /// `inner` behind `pool`, counting refusals in `metrics`.
    pub fn new(inner: S, pool: Arc<RequestBytes>, metrics: Arc<Metrics>) -> Self {
        Bounded {
            inner,
            pool,
            metrics,
        }
    }
}

impl<S: NamedService> NamedService for Bounded<S> {
    const NAME: &'static str = S::NAME;
}

impl<S, B> Service<http::Request<Body>> for Bounded<S>
where
    S: Service<http::Request<Body>, Response = http::Response<B>, Error = Infallible>,
    S::Future: Send + 'static,
    B: HttpBody<Data = Bytes> + Send + 'static,
    B::Error: Into<tonic::codegen::StdError>,
{
    type Response = http::Response<Body>;
    type Error = Infallible;
    type Future = BoxFuture<Self::Response, Infallible>;

    fn poll_ready(&mut self, context: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        self.inner.poll_ready(context)
    }

    fn call(&mut self, mut request: http::Request<Body>) -> Self::Future {
        let method = CalledMethod::of(request.uri().path());
        let share = Arc::new(self.pool.share());
        // A body that says its length is counted whole before any of it is read.
        let announced = request
            .headers()
            .get(http::header::CONTENT_LENGTH)
            .and_then(|value| value.to_str().ok()?.parse::<usize>().ok());
        if let Some(length) = announced
            && !share.take(length)
        {
            self.metrics.call(method.0, tonic::Code::ResourceExhausted);
            let refused = self.pool.refusal().into_http();
            return Box::pin(async move { Ok(refused) });
        }
        request.extensions_mut().insert(method);
        let request = request.map(|body| {
            Body::new(Counted {
                inner: body,
                share: Some(share.clone()),
                counting: announced.is_none(),
                method,
                metrics: self.metrics.clone(),
            })
        });
        let answer = self.inner.call(request);
        Box::pin(async move {
            let response = answer.await?;
            Ok(response.map(|body| Body::new(Holding::new(Body::new(body), share))))
        })
    }
}

/// A request body whose data frames are counted against the bound as they arrive.
struct Counted {
    inner: Body,
    share: Option<Arc<Share>>,
    /// False when the whole length was counted up front.
    counting: bool,
    method: CalledMethod,
    metrics: Arc<Metrics>,
}

impl HttpBody for Counted {
    type Data = Bytes;
    type Error = tonic::Status;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        context: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, tonic::Status>>> {
        let polled = Pin::new(&mut self.inner).poll_frame(context);
        let Poll::Ready(Some(Ok(frame))) = polled else {
            return polled;
        };
        let bytes = frame.data_ref().map_or(0, Bytes::len);
        if !self.counting || bytes == 0 {
            return Poll::Ready(Some(Ok(frame)));
        }
        let Some(share) = self.share.take() else {
            return Poll::Ready(Some(Ok(frame)));
        };
        if share.take(bytes) {
            self.share = Some(share);
            return Poll::Ready(Some(Ok(frame)));
        }
        // Refused: the decoder answers the call with this status, and what the call
        // holds goes back once the answer is gone.
        let refusal = share.pool.refusal();
        self.counting = false;
        self.metrics
            .call(self.method.0, tonic::Code::ResourceExhausted);
        Poll::Ready(Some(Err(refusal)))
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.inner.size_hint()
    }
}

/// An answer's body that keeps its call's bytes counted until it is gone (gRPC's here,
/// the HTTP door's in `http::bound`).
pub struct Holding<B> {
    inner: B,
    _share: Arc<Share>,
}

impl<B> Holding<B> {
    /// `inner`, holding `share` until it is dropped.
    pub fn new(inner: B, share: Arc<Share>) -> Self {
        Holding {
            inner,
            _share: share,
        }
    }
}

impl<B: HttpBody<Data = Bytes> + Unpin> HttpBody for Holding<B> {
    type Data = Bytes;
    type Error = B::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        context: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, B::Error>>> {
        Pin::new(&mut self.inner).poll_frame(context)
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.inner.size_hint()
    }
}

impl BytesGauge for RequestBytes {
    fn held(&self) -> usize {
        RequestBytes::held(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_routing_methods_and_nothing_else() {
        assert_eq!(CalledMethod::of("/tournee.v1.Routing/Solve").0, "Solve");
        let submit = CalledMethod::of("/tournee.v1.Routing/SubmitSolve");
        assert_eq!(submit.0, "SubmitSolve");
        assert_eq!(CalledMethod::of("/tournee.v1.Routing/Nope").0, "unknown");
        assert_eq!(CalledMethod::of("").0, "unknown");
    }

    #[test]
    fn shares_take_what_fits_and_give_it_back() {
        let pool = RequestBytes::new(100);
        let share = |pool: &Arc<RequestBytes>| pool.share();
        let first = share(&pool);
        assert!(first.take(60) && first.take(30));
        let second = share(&pool);
        assert!(!second.take(11), "90 + 11 > 100");
        assert!(second.take(10));
        assert_eq!(pool.held(), 100);
        drop(first);
        assert_eq!(pool.held(), 10);
        drop(second);
        assert_eq!(pool.held(), 0);
        assert!(!share(&pool).take(usize::MAX));
    }
}
