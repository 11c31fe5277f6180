//! The Routing service's `PlanDfc`: a DFC JSON-LD order cycle (text) read by
//! [`crate::dfc`] into a native request, solved on the same path as `Solve` (keys,
//! admission, limits, deadline, logging, metrics), the plan written back as DFC JSON-LD
//! text. The HTTP door's `POST /dfc/v1/plan` hands its envelope to this method.

use tonic::{Request, Response, Status};
use tracing::Instrument;

use super::RoutingService;
use super::observe::{Call, Sizes, failure};
use crate::error::Error;
use crate::pb;

impl RoutingService {
    /// Reads, solves and writes one DFC plan.
    pub(super) async fn plan_dfc_call(
        &self,
        request: Request<pb::DfcPlanRequest>,
    ) -> Result<Response<pb::DfcPlanResponse>, Status> {
        let (metadata, extensions, message) = request.into_parts();
        let read = crate::dfc::read_texts(&message.document, &message.options);
        let native = read
            .as_ref()
            .map(|adapted| adapted.request.clone())
            .unwrap_or_default();
        let request = Request::from_parts(metadata, extensions, native);
        let call = Call::begin(
            "PlanDfc",
            &request,
            Sizes::of(request.get_ref()),
            self.metrics.clone(),
        );
        let answer = match read {
            Err(violations) => Err(failure(&Error::Validation(violations))),
            Ok(adapted) => {
                self.solve_then(request, &call, move |_, response| {
                    let plan = crate::dfc::answer(&adapted, &response);
                    pb::DfcPlanResponse {
                        plan: plan.to_string(),
                    }
                })
                .instrument(call.span())
                .await
            }
        };
        call.end(answer.map(Response::new))
    }
}
