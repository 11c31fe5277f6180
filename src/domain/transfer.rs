//! Transfers at a hub (cross-docking): a shipment that allows it may travel farm → hub
//! in one tour and hub → pickup point in another. This module owns the domain's words
//! for it: the transfer points a request declares and which leg a step belongs to.
//! The solver decides per shipment whether it goes direct or through a hub; the
//! checker holds the second leg to the first one's drop across tours.

use super::time_window::TimeWindow;

/// A site where goods may change vehicle.
#[derive(Debug, Clone, PartialEq)]
pub struct TransferPoint {
    /// Site index.
    pub site: usize,
    /// When goods may be dropped or picked up (service start), sorted; empty means
    /// always open.
    pub opening_windows: Vec<TimeWindow>,
    /// Time between the end of the first leg's drop and the earliest start of the
    /// second leg's pickup (unloading, sorting, cooling), seconds.
    pub handling_s: i64,
}

/// Which leg of a transferred shipment a step serves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TransferLeg {
    /// Farm → transfer point: its pickup is the shipment's, its delivery the drop at
    /// the transfer point.
    First,
    /// Transfer point → destination: its pickup at the transfer point, its delivery
    /// the shipment's.
    Second,
}
