//! Why a sequence of stops cannot be driven. Its own home because both the trip split
//! and the evaluation report it: neither has to import the other for it.

/// Why a sequence is infeasible (used for unassigned reasons).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Infeasible {
    /// A leg is unreachable.
    Unreachable,
    /// Load above capacity.
    Capacity,
    /// A window or the shift is missed.
    TimeWindows,
    /// Time on board too long.
    MaxTimeOnBoard,
    /// Working time, travel time, distance or stop limit.
    Limits,
    /// Pickup and delivery out of order or incomplete.
    Precedence,
    /// Goods that must not share a vehicle.
    IncompatibleGoods,
    /// A driver's break cannot start inside its windows with its max load on board.
    Breaks,
    /// Sequence-locked stops out of their given order.
    Locks,
    /// Both legs of a transferred shipment on one vehicle.
    Transfer,
}
