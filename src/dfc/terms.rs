//! The DFC terms the adapter reads and writes, each with the spelling variants that
//! real documents use (the OWL file's and the connectors'), matched against expanded
//! IRIs without allocating.

use super::context::{DFC_B, DFC_M, SCHEMA_NS, TOURNEE_NS};

/// A namespace the adapter knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Namespace {
    /// `dfc-b:`, the DFC business ontology.
    Business,
    /// `dfc-m:`, the DFC measures.
    Measures,
    /// `https://schema.org/`.
    Schema,
    /// `tournee:`, tournee's extensions.
    Tournee,
}

impl Namespace {
    fn iri(self) -> &'static str {
        match self {
            Namespace::Business => DFC_B,
            Namespace::Measures => DFC_M,
            Namespace::Schema => SCHEMA_NS,
            Namespace::Tournee => TOURNEE_NS,
        }
    }
}

/// One term: a namespace and a local name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Term {
    namespace: Namespace,
    local: &'static str,
}

impl Term {
    /// Whether `iri` is this term.
    pub fn matches(&self, iri: &str) -> bool {
        iri.strip_prefix(self.namespace.iri()) == Some(self.local)
    }

    /// The full IRI.
    pub fn iri(&self) -> String {
        format!("{}{}", self.namespace.iri(), self.local)
    }

    /// The local name.
    pub fn local(&self) -> &'static str {
        self.local
    }
}

/// A `dfc-b:` term.
pub const fn b(local: &'static str) -> Term {
    Term {
        namespace: Namespace::Business,
        local,
    }
}

/// A `dfc-m:` term.
pub const fn m(local: &'static str) -> Term {
    Term {
        namespace: Namespace::Measures,
        local,
    }
}

/// A schema.org term.
pub const fn schema(local: &'static str) -> Term {
    Term {
        namespace: Namespace::Schema,
        local,
    }
}

/// A `tournee:` term.
pub const fn t(local: &'static str) -> Term {
    Term {
        namespace: Namespace::Tournee,
        local,
    }
}

/// The local name of `iri` in `dfc-m:`, if it is one.
pub fn measure(iri: &str) -> Option<&str> {
    iri.strip_prefix(DFC_M)
}

// Classes.
/// `Enterprise` (1.x) or `Organization` (2.0).
pub const ENTERPRISE: [Term; 2] = [b("Enterprise"), b("Organization")];
/// A sale session (order cycle).
pub const SALE_SESSION: [Term; 1] = [b("SaleSession")];
/// An order.
pub const ORDER: [Term; 1] = [b("Order")];
/// A pickup option.
pub const PICKUP_OPTION: [Term; 1] = [b("PickupOption")];
/// A delivery option.
pub const DELIVERY_OPTION: [Term; 1] = [b("DeliveryOption")];
/// A supplied product.
pub const SUPPLIED_PRODUCT: [Term; 1] = [b("SuppliedProduct")];
/// A vehicle (1.15).
pub const VEHICLE: [Term; 1] = [b("Vehicle")];
/// A physical place.
pub const PHYSICAL_PLACE: [Term; 1] = [b("PhysicalPlace")];

// Properties, aliases first-written first.
/// Address fields.
pub const HAS_ADDRESS: [Term; 1] = [b("hasAddress")];
/// Latitude.
pub const LATITUDE: [Term; 1] = [b("latitude")];
/// Longitude.
pub const LONGITUDE: [Term; 1] = [b("longitude")];
/// A name.
pub const NAME: [Term; 1] = [b("name")];
/// Opening hours of a place.
pub const OPENING_HOURS: [Term; 2] = [b("isOpenDuring"), b("hasOpeningHours")];
/// A vehicle's availability.
pub const AVAILABLE_DURING: [Term; 1] = [b("isAvailableDuring")];
/// Days of an opening-hours specification.
pub const DAY_OF_WEEK: [Term; 1] = [schema("dayOfWeek")];
/// Opening time.
pub const OPENS: [Term; 2] = [schema("opens"), b("opens")];
/// Closing time.
pub const CLOSES: [Term; 2] = [schema("closes"), b("closes")];
/// First day a specification is valid.
pub const VALID_FROM: [Term; 1] = [schema("validFrom")];
/// Last day a specification is valid.
pub const VALID_THROUGH: [Term; 1] = [schema("validThrough")];
/// Start of a slot or session.
pub const START_DATE: [Term; 2] = [b("startDate"), b("beginDate")];
/// End of a slot or session.
pub const END_DATE: [Term; 1] = [b("endDate")];
/// Session → options.
pub const HAS_OPTION: [Term; 1] = [b("hasOption")];
/// Option → session.
pub const OPTION_OF: [Term; 1] = [b("optionOf")];
/// Session → orders.
pub const HOLDS: [Term; 1] = [b("holds")];
/// Order → session.
pub const BELONGS_TO: [Term; 1] = [b("belongsTo")];
/// Session → hub place.
pub const HOSTED_AT: [Term; 1] = [b("hostedAt")];
/// Session → coordination.
pub const OBJECT_OF: [Term; 1] = [b("objectOf")];
/// Coordination → session.
pub const HAS_OBJECT: [Term; 1] = [b("hasObject")];
/// Coordination → hub enterprise.
pub const COORDINATED_BY: [Term; 1] = [b("coordinatedBy")];
/// Order → lines.
pub const HAS_PART: [Term; 1] = [b("hasPart")];
/// Line → order.
pub const PART_OF: [Term; 1] = [b("partOf")];
/// Order → option.
pub const SELECTS: [Term; 1] = [b("selects")];
/// Option → orders.
pub const SELECTED_BY: [Term; 1] = [b("selectedBy")];
/// Order → customer.
pub const ORDERED_BY: [Term; 1] = [b("orderedBy")];
/// Line → offer.
pub const CONCERNS: [Term; 1] = [b("concerns")];
/// Line or product or vehicle → quantity.
pub const HAS_QUANTITY: [Term; 1] = [b("hasQuantity")];
/// A line's count (connector v1).
pub const QUANTITY: [Term; 1] = [b("quantity")];
/// Offer → product (connector spelling).
pub const OFFERED_ITEM: [Term; 1] = [b("offeredItem")];
/// Offer → catalog item.
pub const OFFERS: [Term; 1] = [b("offers")];
/// Catalog item → offer.
pub const OFFERED_THROUGH: [Term; 1] = [b("offeredThrough")];
/// Catalog item → product.
pub const REFERENCES: [Term; 1] = [b("references")];
/// Product → supplier.
pub const SUPPLIED_BY: [Term; 1] = [b("suppliedBy")];
/// Supplier → product.
pub const SUPPLIES: [Term; 1] = [b("supplies")];
/// Product → physical characteristics.
pub const PHYSICAL_CHARACTERISTIC: [Term; 1] = [b("hasPhysicalCharacteristic")];
/// Characteristic → dimension.
pub const PHYSICAL_DIMENSION: [Term; 1] = [b("hasPhysicalDimension")];
/// Quantity → unit.
pub const HAS_UNIT: [Term; 1] = [b("hasUnit")];
/// Quantity → value.
pub const VALUE: [Term; 1] = [b("value")];
/// Chilled goods or vehicle.
pub const REFRIGERATED: [Term; 1] = [b("refrigerated")];
/// Frozen goods or vehicle.
pub const FROZEN: [Term; 1] = [b("frozen")];
/// Product → temperature.
pub const HAS_TEMPERATURE: [Term; 1] = [b("hasTemperature")];
/// Highest temperature, °C.
pub const MAX_VALUE: [Term; 1] = [b("maxValue")];
/// Pickup option → place.
pub const PICKED_UP_AT: [Term; 1] = [b("pickedUpAt")];
/// Delivery option → place or address.
pub const DELIVERED_AT: [Term; 1] = [b("deliveredAt")];
/// Vehicle → depot.
pub const BASED_AT: [Term; 1] = [b("basedAt")];
/// Enterprise → where its goods are collected (tournee's extension).
pub const COLLECTED_AT: [Term; 1] = [t("collectedAt")];
/// Vehicle → operating enterprise (tournee's extension).
pub const OPERATED_BY: [Term; 1] = [t("operatedBy")];
/// Vehicle fixed cost per use.
pub const FIXED_COST: [Term; 1] = [t("fixedCost")];
/// Vehicle cost per km.
pub const COST_PER_KM: [Term; 1] = [t("costPerKm")];
/// Vehicle cost per hour.
pub const COST_PER_HOUR: [Term; 1] = [t("costPerHour")];
/// Person names.
pub const FIRST_NAME: [Term; 1] = [b("firstName")];
/// Person names.
pub const FAMILY_NAME: [Term; 1] = [b("familyName")];
