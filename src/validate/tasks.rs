//! Shipments and jobs: stops, amounts, skills, priority, time on board.

use super::fleet::skills;
use super::ids::{Context, Ids};
use super::violation::{Code, Collector};
use crate::domain::{Task, TaskKind, TaskStop};
use crate::pb;

/// Validates shipments then jobs; task indices follow that order.
pub fn tasks(
    collector: &mut Collector,
    request: &pb::SolveRequest,
    context: &Context,
) -> Vec<Task> {
    let shipment_ids = request.shipments.iter().map(|s| s.id.as_str());
    let job_ids = request.jobs.iter().map(|j| j.id.as_str());
    check_unique_task_ids(collector, shipment_ids, job_ids);
    let mut tasks = Vec::with_capacity(request.shipments.len() + request.jobs.len());
    for (index, shipment) in request.shipments.iter().enumerate() {
        let field = format!("shipments[{index}]");
        let max_time_on_board_s = shipment
            .max_time_on_board_s
            .map(|value| collector.non_negative(format!("{field}.max_time_on_board_s"), value));
        let kind = TaskKind::Shipment {
            pickup: stop(
                collector,
                &format!("{field}.pickup"),
                shipment.pickup.as_ref(),
                context,
            ),
            delivery: stop(
                collector,
                &format!("{field}.delivery"),
                shipment.delivery.as_ref(),
                context,
            ),
            amount: collector.amount(
                &format!("{field}.amount"),
                &shipment.amount,
                context.dimensions,
            ),
            max_time_on_board_s,
        };
        tasks.push(task(
            collector,
            &field,
            &shipment.id,
            &shipment.producer_id,
            &shipment.skills,
            shipment.priority,
            kind,
            context,
        ));
    }
    for (index, job) in request.jobs.iter().enumerate() {
        let field = format!("jobs[{index}]");
        let kind = TaskKind::Job {
            stop: stop(
                collector,
                &format!("{field}.stop"),
                job.stop.as_ref(),
                context,
            ),
            delivery: collector.amount(
                &format!("{field}.delivery"),
                &job.delivery,
                context.dimensions,
            ),
            pickup: collector.amount(&format!("{field}.pickup"), &job.pickup, context.dimensions),
        };
        tasks.push(task(
            collector,
            &field,
            &job.id,
            &job.producer_id,
            &job.skills,
            job.priority,
            kind,
            context,
        ));
    }
    tasks
}

#[allow(clippy::too_many_arguments)]
fn task(
    collector: &mut Collector,
    field: &str,
    id: &str,
    producer_id: &str,
    skill_names: &[String],
    priority: u32,
    kind: TaskKind,
    context: &Context,
) -> Task {
    if priority > 100 {
        collector.push(
            Code::OutOfRange,
            format!("{field}.priority"),
            format!("{priority} is not in 0..=100"),
        );
    }
    Task {
        id: id.to_string(),
        producer: context.producers.optional(
            collector,
            format!("{field}.producer_id"),
            producer_id,
        ),
        skills: skills(skill_names),
        priority: priority.min(100),
        goods_kind: None,
        kind,
        allow_transfer: false,
    }
}

/// Ids are unique across shipments and jobs together: responses name tasks by id alone.
fn check_unique_task_ids<'a>(
    collector: &mut Collector,
    shipments: impl Iterator<Item = &'a str>,
    jobs: impl Iterator<Item = &'a str>,
) {
    let shipment_ids: Vec<&str> = shipments.collect();
    Ids::new(collector, "shipments", shipment_ids.iter().copied());
    let jobs_index = Ids::new(collector, "jobs", jobs);
    let mut scratch = Collector::default();
    for (index, id) in shipment_ids.iter().enumerate() {
        if !id.is_empty() && jobs_index.lookup(&mut scratch, "", id).is_some() {
            collector.push(
                Code::DuplicateId,
                format!("shipments[{index}].id"),
                format!("id {id:?} is also a job's id"),
            );
        }
    }
}

fn stop(
    collector: &mut Collector,
    field: &str,
    stop: Option<&pb::TaskStop>,
    context: &Context,
) -> TaskStop {
    let Some(stop) = stop else {
        collector.push(Code::Missing, field, "give the stop's site_id");
        return TaskStop {
            site: 0,
            service_s: 0,
            time_windows: Vec::new(),
            soft: Vec::new(),
            description: String::new(),
        };
    };
    let site_index = context
        .sites
        .lookup(collector, format!("{field}.site_id"), &stop.site_id);
    let site = site_index.and_then(|index| context.site_list.get(index));
    let service_s = match stop.service_s {
        Some(value) => collector.non_negative(format!("{field}.service_s"), value),
        None => site.map_or(0, |site| site.service_s),
    };
    let windows_field = format!("{field}.time_windows");
    let (own_windows, soft) =
        match super::soft_windows::stop_windows(collector, &windows_field, &stop.time_windows) {
            Some(soft_windows) => soft_windows,
            None => (
                collector.windows(&windows_field, &stop.time_windows),
                Vec::new(),
            ),
        };
    let time_windows = if stop.time_windows.is_empty() {
        site.map(|site| site.opening_windows.clone())
            .unwrap_or_default()
    } else {
        own_windows
    };
    TaskStop {
        site: site_index.unwrap_or_default(),
        service_s,
        time_windows,
        soft,
        description: collector.description(field, &stop.description),
    }
}
