//! Kinds of goods and the pairs that must not share a tour, or not be on board together.

use super::violation::{Code, Collector};
use crate::domain::Task;
use crate::pb;

/// Pairs of goods kinds: those that never share a tour, those never on board together.
type Pairs = (Vec<(usize, usize)>, Vec<(usize, usize)>);

/// Numbers the goods kinds the tasks name (shipments then jobs, as the tasks are) and
/// checks that every incompatible pair names kinds some task carries: a typo would
/// otherwise silently allow what the client meant to forbid.
pub fn goods(
    collector: &mut Collector,
    request: &pb::SolveRequest,
    tasks: &mut [Task],
) -> (Vec<String>, Pairs) {
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
    let (mut pairs, mut apart) = (Vec::new(), Vec::new());
    for (index, pair) in request.incompatible_goods.iter().enumerate() {
        let on_board = match pb::GoodsRule::try_from(pair.rule) {
            Ok(rule) => rule == pb::GoodsRule::NotOnBoardTogether,
            Err(_) => {
                collector.push(
                    Code::OutOfRange,
                    format!("incompatible_goods[{index}].rule"),
                    format!("{} is not a goods rule", pair.rule),
                );
                false
            }
        };
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
            if on_board { &mut apart } else { &mut pairs }.push((first, second));
        }
    }
    (kinds, (pairs, apart))
}
