//! Kinds of goods and the pairs that must not share a tour.

use super::violation::{Code, Collector};
use crate::domain::Task;
use crate::pb;

/// Numbers the goods kinds the tasks name (shipments then jobs, as the tasks are) and
/// checks that every incompatible pair names kinds some task carries: a typo would
/// otherwise silently allow what the client meant to forbid.
pub fn goods(
    collector: &mut Collector,
    request: &pb::SolveRequest,
    tasks: &mut [Task],
) -> (Vec<String>, Vec<(usize, usize)>) {
    let names = request
        .shipments
        .iter()
        .map(|s| s.goods_kind.as_str())
        .chain(request.jobs.iter().map(|j| j.goods_kind.as_str()));
    let mut kinds: Vec<String> = Vec::new();
    for (task, name) in tasks.iter_mut().zip(names) {
        if name.is_empty() {
            continue;
        }
        let index = match kinds.iter().position(|k| k == name) {
            Some(index) => index,
            None => {
                kinds.push(name.to_string());
                kinds.len() - 1
            }
        };
        task.goods_kind = Some(index);
    }
    let mut pairs = Vec::new();
    for (index, pair) in request.incompatible_goods.iter().enumerate() {
        let mut kind = |side: &str, name: &str| {
            let found = kinds.iter().position(|k| k == name);
            if found.is_none() {
                collector.push(
                    if name.is_empty() {
                        Code::Missing
                    } else {
                        Code::UnknownId
                    },
                    format!("incompatible_goods[{index}].{side}"),
                    format!("{name:?} is not the goods_kind of any shipment or job"),
                );
            }
            found
        };
        if let (Some(first), Some(second)) =
            (kind("first", &pair.first), kind("second", &pair.second))
        {
            pairs.push((first, second));
        }
    }
    (kinds, pairs)
}
