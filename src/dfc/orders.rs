//! Orders → demands: each order line followed to its product (Offer → [CatalogItem →]
//! SuppliedProduct) and the product's supplier, its quantity turned into grams, and
//! the lines summed per (producer, destination, temperature class). The destination is
//! the place of the shipping option the order selects, or the customer's address for a
//! delivery option with no place. Every broken link is collected with its path.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, FixedOffset};

use super::graph::{Graph, Node};
use super::hours::parse_datetime;
use super::places::{follow, required};
use super::terms::*;
use super::units::{Measure, measure};
use crate::validate::{Code, Collector};

/// Temperature class of goods: the skill a vehicle needs to carry them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Class {
    /// No cold chain.
    Ambient,
    /// Chilled (`dfc-b:refrigerated`, or at most 8 °C).
    Refrigerated,
    /// Frozen (`dfc-b:frozen`, or at most −12 °C).
    Frozen,
}

impl Class {
    /// The skill a vehicle needs ("" for ambient).
    pub fn skill(self) -> &'static str {
        match self {
            Class::Ambient => "",
            Class::Refrigerated => "refrigerated",
            Class::Frozen => "frozen",
        }
    }

    /// The name in the answer.
    pub fn as_str(self) -> &'static str {
        match self {
            Class::Ambient => "ambient",
            Class::Refrigerated => "refrigerated",
            Class::Frozen => "frozen",
        }
    }
}

/// Where an option's goods go.
#[derive(Debug, Clone, PartialEq)]
pub struct Destination {
    /// The site id: the place's `@id`, or the customer's for a home delivery.
    pub site: String,
    /// The shipping option.
    pub option: String,
    /// `pickup` or `delivery`.
    pub kind: &'static str,
    /// The option's slot, when it has one.
    pub slot: Option<(DateTime<FixedOffset>, DateTime<FixedOffset>)>,
    /// Orders going there.
    pub orders: usize,
    /// Its windows on the planning day, s from t0: the place's hours ∩ the slot (set
    /// by the reader once the day is known).
    pub windows_s: Vec<(i64, i64)>,
}

/// The goods of one producer for one destination in one class.
#[derive(Debug, Clone, PartialEq)]
pub struct Demand {
    /// The producer.
    pub producer: String,
    /// The destination site.
    pub destination: String,
    /// Temperature class.
    pub class: Class,
    /// Mass, g.
    pub mass_g: i64,
    /// The order lines.
    pub lines: Vec<String>,
}

/// What the orders ask for.
#[derive(Debug, Default)]
pub struct Orders {
    /// (producer, destination site, class) → demand.
    pub demands: BTreeMap<(String, String, Class), Demand>,
    /// Destination site → where and when.
    pub destinations: BTreeMap<String, Destination>,
    /// Sessions the orders belong to.
    pub sessions: BTreeSet<String>,
    /// Orders read.
    pub orders: usize,
    /// Products with no mass of their own (the default mass was used).
    pub unweighed: BTreeSet<String>,
}

/// How quantities are converted.
#[derive(Debug, Clone, Copy)]
pub struct Conversion {
    /// Mass of a sales unit when the product says none, g.
    pub default_unit_mass_g: f64,
    /// Density of goods sold by volume, kg/L.
    pub kg_per_litre: f64,
}

/// Reads every order of the document.
pub fn read(graph: &Graph, conversion: Conversion, problems: &mut Collector) -> Orders {
    let mut orders = Orders::default();
    for order in graph.of_type(&ORDER) {
        orders.orders += 1;
        orders
            .sessions
            .extend(graph.linked(order, &BELONGS_TO, &HOLDS));
        let Some(site) = destination(graph, order, &mut orders, problems) else {
            continue;
        };
        for line_id in graph.linked(order, &HAS_PART, &PART_OF) {
            let Some(line) = follow(graph, order, &HAS_PART, &line_id, problems) else {
                continue;
            };
            let Some((producer, mass_g, class)) =
                read_line(graph, line, conversion, &mut orders, problems)
            else {
                continue;
            };
            let key = (producer.clone(), site.clone(), class);
            let demand = orders.demands.entry(key).or_insert_with(|| Demand {
                producer,
                destination: site.clone(),
                class,
                mass_g: 0,
                lines: Vec::new(),
            });
            demand.mass_g += mass_g;
            demand.lines.push(line.id.clone());
        }
    }
    orders
}

/// The destination of an order (recorded in `orders`), or a violation.
fn destination(
    graph: &Graph,
    order: &Node,
    orders: &mut Orders,
    problems: &mut Collector,
) -> Option<String> {
    let what =
        "the order selects no shipping option (dfc-b:selects → PickupOption or DeliveryOption)";
    let links = (&SELECTS[..], &SELECTED_BY[..]);
    let option = required(
        graph,
        order,
        links,
        (Code::DfcNoShippingOption, what),
        problems,
    )?;
    let (site, kind) = if option.is(&PICKUP_OPTION) {
        let place = graph.link(option, &PICKED_UP_AT);
        (place, "pickup")
    } else {
        let place = graph.link(option, &DELIVERED_AT);
        (place.or_else(|| graph.link(order, &ORDERED_BY)), "delivery")
    };
    let property: &[Term] = if kind == "pickup" {
        &PICKED_UP_AT
    } else {
        &DELIVERED_AT
    };
    let Some(site) = site else {
        let what = "the option names no place (pickedUpAt / deliveredAt) and the order no customer (orderedBy)";
        problems.push(Code::DfcNoShippingOption, option.path(property), what);
        return None;
    };
    match graph.link(option, property) {
        Some(_) => follow(graph, option, property, &site, problems)?,
        None => follow(graph, order, &ORDERED_BY, &site, problems)?,
    };
    let slot = slot_of(graph, option);
    let entry = orders
        .destinations
        .entry(site.clone())
        .or_insert(Destination {
            site: site.clone(),
            option: option.id.clone(),
            kind,
            slot,
            orders: 0,
            windows_s: Vec::new(),
        });
    entry.orders += 1;
    Some(site)
}

/// An option's `[startDate, endDate]`, when both read.
pub fn slot_of(
    graph: &Graph,
    option: &Node,
) -> Option<(DateTime<FixedOffset>, DateTime<FixedOffset>)> {
    let date = |terms: &[Term]| parse_datetime(&graph.literal(option, terms)?.text());
    Some((date(&START_DATE)?, date(&END_DATE)?))
}

/// One line: its producer, mass in grams and class.
fn read_line(
    graph: &Graph,
    line: &Node,
    conversion: Conversion,
    orders: &mut Orders,
    problems: &mut Collector,
) -> Option<(String, i64, Class)> {
    let product = product_of(graph, line, problems)?;
    let supplier = graph
        .linked(product, &SUPPLIED_BY, &SUPPLIES)
        .into_iter()
        .next();
    let Some(producer) = supplier else {
        let what =
            "the product has no supplying Enterprise (suppliedBy, or the Enterprise's supplies)";
        problems.push(Code::DfcNoSupplier, product.path(&SUPPLIED_BY), what);
        return None;
    };
    follow(graph, product, &SUPPLIED_BY, &producer, problems)?;
    let unit_mass_g = match unit_mass(graph, product, conversion, problems) {
        Some(mass) => mass,
        None => {
            orders.unweighed.insert(product.id.clone());
            conversion.default_unit_mass_g
        }
    };
    let grams = line_grams(graph, line, product, unit_mass_g, conversion, problems)?;
    Some((
        producer,
        (grams + 0.5).floor() as i64,
        class_of(graph, product),
    ))
}

/// The SuppliedProduct a line concerns, through its Offer (and CatalogItem).
fn product_of<'a>(graph: &'a Graph, line: &Node, problems: &mut Collector) -> Option<&'a Node> {
    let what = "the line concerns no Offer";
    let offer = required(
        graph,
        line,
        (&CONCERNS, &[]),
        (Code::Missing, what),
        problems,
    )?;
    if offer.is(&SUPPLIED_PRODUCT) {
        return Some(offer);
    }
    if let Some(product) = graph.link(offer, &OFFERED_ITEM) {
        return follow(graph, offer, &OFFERED_ITEM, &product, problems);
    }
    let what = "the Offer leads to no product (offeredItem, or a CatalogItem offeredThrough it)";
    let links = (&OFFERS[..], &OFFERED_THROUGH[..]);
    let item = required(graph, offer, links, (Code::Missing, what), problems)?;
    let what = "the CatalogItem references no product";
    required(
        graph,
        item,
        (&REFERENCES, &[]),
        (Code::Missing, what),
        problems,
    )
}

/// A QuantitativeValue's measure and value; an unknown unit is a violation at `path`.
fn quantity(
    graph: &Graph,
    value: &Node,
    path: &str,
    problems: &mut Collector,
) -> Option<(Measure, f64)> {
    let unit = graph.link(value, &HAS_UNIT).unwrap_or_default();
    let amount = graph
        .literal(value, &VALUE)
        .and_then(|literal| literal.number());
    let Some(amount) = amount else {
        problems.push(
            Code::Missing,
            path,
            "the quantity has no numeric dfc-b:value",
        );
        return None;
    };
    let known = super::terms::measure(&unit).and_then(measure);
    if known.is_none() {
        let what = format!(
            "unit {unit:?} has no known factor to grams or pieces (use dfc-m:Kilogram, dfc-m:Gram, dfc-m:Litre, dfc-m:Piece…)"
        );
        problems.push(Code::DfcUnknownUnit, path, what);
    }
    Some((known?, amount))
}

/// The node a QuantitativeValue-valued property names.
fn value_node<'a>(
    graph: &'a Graph,
    owner: &Node,
    property: &[Term],
    problems: &mut Collector,
) -> Option<&'a Node> {
    let id = graph.link(owner, property)?;
    follow(graph, owner, property, &id, problems)
}

/// One sales unit's mass, g: its `hasQuantity` when a mass or volume, else its
/// `Weight` characteristic; `None` when neither says.
fn unit_mass(
    graph: &Graph,
    product: &Node,
    conversion: Conversion,
    problems: &mut Collector,
) -> Option<f64> {
    if let Some(value) = value_node(graph, product, &HAS_QUANTITY, problems)
        && let Some((unit, amount)) = quantity(graph, value, &product.path(&HAS_QUANTITY), problems)
        && let Some(grams) = unit.grams(amount, conversion.kg_per_litre)
    {
        return Some(grams);
    }
    for id in graph.linked(product, &PHYSICAL_CHARACTERISTIC, &[]) {
        let Some(characteristic) = graph.node(&id) else {
            continue;
        };
        let dimension = graph
            .link(characteristic, &PHYSICAL_DIMENSION)
            .unwrap_or_default();
        if super::terms::measure(&dimension) == Some("Weight") {
            let path = product.path(&PHYSICAL_CHARACTERISTIC);
            let (unit, amount) = quantity(graph, characteristic, &path, problems)?;
            return unit.grams(amount, conversion.kg_per_litre);
        }
    }
    None
}

/// A line's mass, g (§4.1 of the design).
fn line_grams(
    graph: &Graph,
    line: &Node,
    product: &Node,
    unit_mass_g: f64,
    conversion: Conversion,
    problems: &mut Collector,
) -> Option<f64> {
    if let Some(count) = graph
        .literal(line, &QUANTITY)
        .and_then(|literal| literal.number())
    {
        return Some(count * unit_mass_g);
    }
    let property: &[Term] = if graph.link(line, &HAS_QUANTITY).is_some() {
        &HAS_QUANTITY
    } else {
        &QUANTITY
    };
    let Some(value) = value_node(graph, line, property, problems) else {
        let what = "the line has no quantity (dfc-b:hasQuantity or dfc-b:quantity)";
        problems.push(Code::Missing, line.path(&HAS_QUANTITY), what);
        return None;
    };
    let (unit, amount) = quantity(graph, value, &line.path(property), problems)?;
    if let Some(grams) = unit.grams(amount, conversion.kg_per_litre) {
        return Some(grams);
    }
    let per_sales_unit = value_node(graph, product, &HAS_QUANTITY, problems)
        .and_then(|value| quantity(graph, value, &product.path(&HAS_QUANTITY), problems))
        .map_or(1.0, |(unit, amount)| match unit {
            Measure::Pieces(_) => unit.pieces(amount),
            Measure::Grams(_) | Measure::Litres(_) => 1.0,
        });
    Some(unit.pieces(amount) / per_sales_unit.max(f64::MIN_POSITIVE) * unit_mass_g)
}

/// A product's temperature class.
fn class_of(graph: &Graph, product: &Node) -> Class {
    let flag = |terms: &[Term]| {
        graph
            .literal(product, terms)
            .and_then(|literal| literal.bool())
            == Some(true)
    };
    let max_c = graph
        .link(product, &HAS_TEMPERATURE)
        .and_then(|id| graph.node(&id))
        .and_then(|temperature| graph.literal(temperature, &MAX_VALUE))
        .and_then(|literal| literal.number());
    if flag(&FROZEN) || max_c.is_some_and(|c| c <= -12.0) {
        Class::Frozen
    } else if flag(&REFRIGERATED) || max_c.is_some_and(|c| c <= 8.0) {
        Class::Refrigerated
    } else {
        Class::Ambient
    }
}
