//! A plan as text a cooperative can read: one block per tour, one line per stop.

use std::fmt::Write;

use crate::domain::currency;
use crate::domain::{DAY_S, Problem, Solution, StepKind, Summary, Tour, TourStep, Vehicle, day_of};

/// Seconds from the reference instant → `HH:MM` (days beyond the first as `+Nd`).
pub fn clock(time_s: i64) -> String {
    let days = time_s.div_euclid(86_400);
    let in_day = time_s.rem_euclid(86_400);
    let text = format!("{:02}:{:02}", in_day / 3600, (in_day % 3600) / 60);
    if days == 0 {
        text
    } else {
        format!("{text}+{days}d")
    }
}

fn hours_minutes(duration_s: i64) -> String {
    format!("{}h{:02}", duration_s / 3600, (duration_s % 3600) / 60)
}

fn km(distance_m: i64) -> String {
    format!("{:.1} km", distance_m as f64 / 1000.0)
}

/// The whole plan as text.
pub fn plan_text(problem: &Problem, solution: &Solution) -> String {
    let mut out = String::new();
    for tour in &solution.tours {
        write_tour(&mut out, problem, tour);
        out.push('\n');
    }
    for unassigned in &solution.unassigned {
        let _ = writeln!(
            out,
            "Not served: {} — {}",
            problem.tasks[unassigned.task].id,
            unassigned.reason.message()
        );
    }
    write_total(&mut out, &solution.summary);
    out
}

/// A tour's heading line (vehicle, owner, totals) and one line per step.
fn write_tour(out: &mut String, problem: &Problem, tour: &Tour) {
    let vehicle = &problem.vehicles[tour.vehicle];
    let owner = vehicle
        .producer
        .map(|p| format!(" of {}", producer_name(problem, p)))
        .unwrap_or_default();
    let shift = tour.shift.and_then(|s| vehicle.shifts.get(s));
    let on_shift = shift.map_or(String::new(), |s| format!(" on shift {}", s.id));
    let stops = tour.steps.iter().filter(|s| s.task.is_some()).count();
    let _ = writeln!(
        out,
        "Vehicle {}{on_shift}{owner}: {stops} stops, {}, {} driving, {} working, cost {:.2}",
        vehicle.id,
        km(tour.figures.distance_m),
        hours_minutes(tour.figures.travel_s),
        hours_minutes(tour.figures.duration_s),
        currency(tour.figures.cost_micro)
    );
    // On a shift, the steps name the shift's breaks and their day.
    let driver = problem
        .tour_vehicle(tour.vehicle, tour.shift)
        .unwrap_or(std::borrow::Cow::Borrowed(vehicle));
    for step in &tour.steps {
        write_step(out, problem, &driver, step, shift.is_some());
    }
}

/// One step: when, what, which task, where, the load after it and any wait.
/// A step of a tour on a shift (`with_day`) starts with its day: "day 4 07:30".
fn write_step(
    out: &mut String,
    problem: &Problem,
    vehicle: &Vehicle,
    step: &TourStep,
    with_day: bool,
) {
    let task = match (step.task, step.driver_break) {
        (Some(t), _) => problem.tasks[t].id.clone(),
        // A break shows its id and how long the driver rests.
        (None, Some(b)) => vehicle.breaks.get(b).map_or(String::new(), |b| {
            format!("{} {} min", b.id, b.duration_s / 60)
        }),
        (None, None) => String::new(),
    };
    let wait = if step.waiting_s > 0 {
        format!(" (waits {} min)", step.waiting_s / 60)
    } else {
        String::new()
    };
    let when = if with_day {
        let day = day_of(step.service_start_s);
        format!(
            "day {day} {}",
            clock(step.service_start_s.rem_euclid(DAY_S))
        )
    } else {
        clock(step.service_start_s)
    };
    let _ = writeln!(
        out,
        "  {when}  {:<6} {task:<24} {:<28} load {:?}{wait}{}{}",
        verb(step.kind),
        site_name(problem, step.site),
        step.load,
        deviation(step),
        match step.transfer_leg {
            Some(crate::domain::TransferLeg::First) => " (transfer, 1st leg)",
            Some(crate::domain::TransferLeg::Second) => " (transfer, 2nd leg)",
            None => "",
        }
    );
}

/// A stop served outside its soft window, marked with how far and what it costs;
/// nothing for a stop on time.
fn deviation(step: &TourStep) -> String {
    let penalty = currency(step.penalty_micro);
    match (step.late_s, step.early_s) {
        (late_s, _) if late_s > 0 => {
            format!(" LATE {} min (penalty {penalty:.2})", (late_s + 59) / 60)
        }
        (_, early_s) if early_s > 0 => {
            format!(" EARLY {} min (penalty {penalty:.2})", (early_s + 59) / 60)
        }
        _ => String::new(),
    }
}

/// The plan's totals line, and the soft windows' line when some stop was late or early.
fn write_total(out: &mut String, s: &Summary) {
    let figures = &s.figures;
    if figures.late_s > 0 || figures.early_s > 0 {
        let _ = writeln!(
            out,
            "Soft windows: {} min late, {} min early, penalty {:.2} (in the cost)",
            (figures.late_s + 59) / 60,
            (figures.early_s + 59) / 60,
            currency(figures.penalty_micro)
        );
    }
    let _ = writeln!(
        out,
        "Total: {} vehicle(s), {}, {} driving, {} working, {} task(s) unassigned, cost {:.2}",
        s.vehicles_used,
        km(s.figures.distance_m),
        hours_minutes(s.figures.travel_s),
        hours_minutes(s.figures.duration_s),
        s.unassigned,
        currency(s.figures.cost_micro)
    );
}

/// What the driver does at a step of `kind`, in a word.
fn verb(kind: StepKind) -> &'static str {
    match kind {
        StepKind::Start => "leave",
        StepKind::Job => "job",
        StepKind::Pickup => "load",
        StepKind::Delivery => "unload",
        StepKind::End => "back",
        StepKind::Reload => "reload",
        StepKind::Break => "break",
    }
}

/// A site's name, its id when unnamed, "(open)" for an open start or end.
fn site_name(problem: &Problem, site: Option<usize>) -> String {
    site.map(|s| {
        let site = &problem.sites[s];
        if site.name.is_empty() {
            site.id.clone()
        } else {
            site.name.clone()
        }
    })
    .unwrap_or_else(|| "(open)".to_string())
}

/// A producer's name, its id when unnamed.
fn producer_name(problem: &Problem, producer: usize) -> &str {
    let producer = &problem.producers[producer];
    if producer.name.is_empty() {
        &producer.id
    } else {
        &producer.name
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn can_write_clock_times() {
        assert_eq!(clock(7 * 3600 + 5 * 60), "07:05");
        assert_eq!(clock(86_400 + 60), "00:01+1d");
    }
}
