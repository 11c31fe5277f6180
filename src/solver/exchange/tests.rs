//! The meetings: every search gets the best offer unless it is its own, nobody waits
//! for a search that left, and the meetings go on with those still running.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use super::Exchange;
use crate::solver::state::Score;

fn score(objective: i64) -> Score {
    Score {
        objective,
        ..Score::default()
    }
}

#[test]
fn each_search_takes_the_best_offer_unless_it_is_its_own() {
    let exchange = Exchange::new(3, 10);
    let offers = [30, 10, 20];
    let taken: Vec<Option<(&str, Score)>> = std::thread::scope(|scope| {
        let handles: Vec<_> = offers
            .iter()
            .enumerate()
            .map(|(stream, &objective)| {
                let exchange = &exchange;
                scope.spawn(move || {
                    let mut seat = exchange.seat(stream as u64);
                    assert!(!seat.is_due(9) && seat.is_due(25) && !seat.is_due(29));
                    assert!(seat.is_due(30));
                    let plan = ["thirty", "ten", "twenty"][stream];
                    seat.meet(&plan, score(objective))
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    assert_eq!(
        taken,
        vec![Some(("ten", score(10))), None, Some(("ten", score(10)))]
    );
}

#[test]
fn a_search_that_left_is_not_waited_for_and_meetings_go_on() {
    let exchange = Exchange::new(2, 1);
    std::thread::scope(|scope| {
        let leaver = scope.spawn(|| {
            let seat = exchange.seat(0);
            // Better than anything the other offers, then gone.
            seat.meet(&"first", score(1))
        });
        let stayer = scope.spawn(|| {
            let seat = exchange.seat(1);
            let first = seat.meet(&"second", score(5));
            // The other search has left (or leaves): these meetings need only this one.
            let alone = (0..3)
                .map(|_| seat.meet(&"second", score(5)))
                .collect::<Vec<_>>();
            (first, alone)
        });
        assert_eq!(leaver.join().unwrap(), None);
        let (first, alone) = stayer.join().unwrap();
        assert_eq!(first, Some(("first", score(1))));
        assert_eq!(alone, vec![None, None, None]);
    });
}
