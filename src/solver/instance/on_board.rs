//! Which goods are on board together along a route's stops, for the pairs of goods kinds
//! that may share a tour but never the load (`GOODS_RULE_NOT_ON_BOARD_TOGETHER`).
//!
//! Read from the order alone: a shipment's goods ride from its pickup to its delivery, a
//! job's delivery from the tour's start to the job, a job's pickup from the job to the
//! end. With reloads a job's goods ride only within its trip; counting them from the
//! start (or to the end) is stricter, so what passes here passes the checker too.

use super::{Instance, StopKind};

/// Whether goods of two kinds kept apart (`apart[kind][other]`) are on board together
/// somewhere along `stops`.
pub(super) fn clash(instance: &Instance, apart: &[Vec<bool>], stops: &[usize]) -> bool {
    let kind_of = |stop: usize| instance.problem.tasks[instance.stops[stop].task].goods_kind;
    // (task, kind) of the goods on board.
    let mut on_board: Vec<(usize, usize)> = Vec::new();
    let boards = |on_board: &mut Vec<(usize, usize)>, task: usize, kind: usize| {
        let clashes = on_board.iter().any(|&(t, k)| t != task && apart[kind][k]);
        on_board.push((task, kind));
        clashes
    };
    for &stop in stops {
        let s = &instance.stops[stop];
        if s.kind == StopKind::Job
            && s.start_load.iter().any(|&a| a > 0)
            && let Some(kind) = kind_of(stop)
            && boards(&mut on_board, s.task, kind)
        {
            return true;
        }
    }
    for &stop in stops {
        let s = &instance.stops[stop];
        let Some(kind) = kind_of(stop) else {
            continue;
        };
        match s.kind {
            StopKind::Pickup => {
                if boards(&mut on_board, s.task, kind) {
                    return true;
                }
            }
            StopKind::Delivery => on_board.retain(|&(t, _)| t != s.task),
            StopKind::Job => {
                on_board.retain(|&(t, _)| t != s.task);
                let picks_up = s.change.iter().zip(&s.start_load).any(|(c, d)| c + d > 0);
                if picks_up && boards(&mut on_board, s.task, kind) {
                    return true;
                }
            }
        }
    }
    false
}
