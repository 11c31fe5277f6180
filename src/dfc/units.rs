//! DFC measure units (`dfc-m:`) → grams or pieces, the factors OFN's
//! `QuantitativeValueBuilder` uses: masses directly, volumes at a density (1 kg/L by
//! default), counts as pieces, each container (jar, bottle, crate…) as one piece.

/// What one unit of a measure is.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Measure {
    /// A mass, grams per unit.
    Grams(f64),
    /// A volume, litres per unit.
    Litres(f64),
    /// A count, pieces per unit.
    Pieces(f64),
}

/// The measure of a `dfc-m:` local name; `None` for a unit with no known factor.
pub fn measure(unit: &str) -> Option<Measure> {
    Some(match unit {
        "Kilogram" => Measure::Grams(1000.0),
        "Gram" => Measure::Grams(1.0),
        "Milligram" => Measure::Grams(0.001),
        "Tonne" => Measure::Grams(1_000_000.0),
        "PoundMass" => Measure::Grams(453.592_37),
        "Litre" => Measure::Litres(1.0),
        "Decilitre" => Measure::Litres(0.1),
        "Centilitre" => Measure::Litres(0.01),
        "Millilitre" => Measure::Litres(0.001),
        "Gallon" => Measure::Litres(4.546_09),
        "Piece" | "Unit" => Measure::Pieces(1.0),
        "Pair" => Measure::Pieces(2.0),
        "HalfDozen" => Measure::Pieces(6.0),
        "Dozen" => Measure::Pieces(12.0),
        "4Pack" => Measure::Pieces(4.0),
        "6Pack" => Measure::Pieces(6.0),
        "Jar" | "Bottle" | "Bunch" | "Box" | "Punnet" | "Tray" | "Crate" | "Bag" | "Can"
        | "Packet" | "Pack" | "Sachet" | "Tub" | "Basket" | "Carton" | "Barrel" | "Case"
        | "Tin" | "Pot" | "Net" | "Slice" | "Head" | "Loaf" | "Wheel" => Measure::Pieces(1.0),
        _ => return None,
    })
}

impl Measure {
    /// `value` of this unit in grams, volumes at `kg_per_litre`; `None` for counts.
    pub fn grams(self, value: f64, kg_per_litre: f64) -> Option<f64> {
        match self {
            Measure::Grams(factor) => Some(value * factor),
            Measure::Litres(factor) => Some(value * factor * kg_per_litre * 1000.0),
            Measure::Pieces(_) => None,
        }
    }

    /// `value` of this unit in pieces: a mass or volume counts as one piece (a 500 g
    /// jar is one jar).
    pub fn pieces(self, value: f64) -> f64 {
        match self {
            Measure::Pieces(factor) => value * factor,
            Measure::Grams(_) | Measure::Litres(_) => value,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masses_volumes_and_counts_convert() {
        let kilogram = measure("Kilogram").unwrap();
        assert_eq!(kilogram.grams(2.5, 1.0), Some(2500.0));
        assert_eq!(measure("Litre").unwrap().grams(1.0, 1.0), Some(1000.0));
        assert_eq!(measure("HalfDozen").unwrap().pieces(2.0), 12.0);
        assert_eq!(measure("Jar").unwrap().pieces(3.0), 3.0);
        assert_eq!(kilogram.pieces(1.0), 1.0);
        assert_eq!(measure("Banana"), None);
    }
}
