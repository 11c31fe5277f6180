//! The facts of the DFC JSON-LD context, written into code so that a document is read
//! offline and the same way every time: its prefixes, the link (`"@type": "@id"`)
//! properties, the context URLs that mean it, and tournee's own namespace. A document's
//! `@context` becomes a [`Context`] here: known URLs resolve to the built-in table,
//! inline objects add prefixes and terms, anything else is refused with a violation.
//! `tests/dfc.rs` compares these tables with `../shared/dfc/context/context_1.16.0.json`.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::validate::{Code, Collector};

/// tournee's namespace for what DFC has no term for (proposed; to be registered at
/// w3id.org).
pub const TOURNEE_NS: &str = "https://w3id.org/tournee/ns#";
/// schema.org, whose terms DFC's opening hours use as full IRIs.
pub const SCHEMA_NS: &str = "https://schema.org/";
/// The DFC business ontology (`dfc-b:`).
pub const DFC_B: &str = "https://github.com/datafoodconsortium/ontology/releases/latest/download/DFC_BusinessOntology.owl#";
/// The DFC measures taxonomy (`dfc-m:`).
pub const DFC_M: &str =
    "https://github.com/datafoodconsortium/taxonomies/releases/latest/download/measures.rdf#";
/// The context URL the answer names (the current one, 1.16.0).
pub const CONTEXT_URL: &str = "https://w3id.org/dfc/ontology/context/context_1.16.0.json";

/// The context's 11 prefixes (unchanged from 1.8.2 to 1.16.0).
pub const PREFIXES: [(&str, &str); 11] = [
    ("rdfs", "http://www.w3.org/2000/01/rdf-schema#"),
    ("skos", "http://www.w3.org/2004/02/skos/core#"),
    (
        "dfc",
        "https://github.com/datafoodconsortium/ontology/releases/latest/download/DFC_FullModel.owl#",
    ),
    ("dc", "http://purl.org/dc/elements/1.1/#"),
    ("dfc-b", DFC_B),
    (
        "dfc-t",
        "https://github.com/datafoodconsortium/ontology/releases/latest/download/DFC_TechnicalOntology.owl#",
    ),
    ("dfc-m", DFC_M),
    (
        "dfc-pt",
        "https://github.com/datafoodconsortium/taxonomies/releases/latest/download/productTypes.rdf#",
    ),
    (
        "dfc-f",
        "https://github.com/datafoodconsortium/taxonomies/releases/latest/download/facets.rdf#",
    ),
    (
        "dfc-v",
        "https://github.com/datafoodconsortium/taxonomies/releases/latest/download/vocabulary.rdf#",
    ),
    (
        "ontosec",
        "http://www.semanticweb.org/ontologies/2008/11/OntologySecurity.owl#",
    ),
];

/// URLs that name the DFC context (connector-ruby preloads the same set); never fetched.
const KNOWN_CONTEXT_URLS: [&str; 8] = [
    "https://www.datafoodconsortium.org",
    "https://www.datafoodconsortium.org/",
    "http://www.datafoodconsortium.org",
    "http://www.datafoodconsortium.org/",
    "https://www.datafoodconsortium.org/wp-content/plugins/wordpress-context-jsonld/context_1.16.0.jsonld",
    "https://www.datafoodconsortium.org/wp-content/plugins/wordpress-context-jsonld/context.jsonld",
    "http://static.datafoodconsortium.org/ontologies/context.json",
    CONTEXT_URL,
];

/// Whether `url` names the DFC 1.x context: one of the known URLs, or a versioned
/// `w3id.org/dfc/ontology/context/context_1.*.json` (the same prefixes since 1.8.2).
pub fn is_known_context(url: &str) -> bool {
    KNOWN_CONTEXT_URLS.contains(&url)
        || url
            .strip_prefix("https://w3id.org/dfc/ontology/context/context_1.")
            .is_some_and(|rest| rest.ends_with(".json"))
}

/// The context's object properties, each `{"@type": "@id"}`: a string value is a link.
pub const LINK_PROPERTIES: [&str; 159] = [
    "dfc-b:DFC_BusinessOntology_ObjectProperty",
    "dfc-b:DFC_Interface_Property",
    "dfc-b:addressOf",
    "dfc-b:affiliatedTo",
    "dfc-b:affiliates",
    "dfc-b:allergenCharacteristicOf",
    "dfc-b:basedAt",
    "dfc-b:belongsTo",
    "dfc-b:brandOf",
    "dfc-b:certificateOf",
    "dfc-b:characteristicOf",
    "dfc-b:claimOf",
    "dfc-b:composedOf",
    "dfc-b:composes",
    "dfc-b:concernedBy",
    "dfc-b:concerns",
    "dfc-b:constituedBy",
    "dfc-b:constitutes",
    "dfc-b:consumedBy",
    "dfc-b:consumes",
    "dfc-b:containerInformationOf",
    "dfc-b:coordinatedBy",
    "dfc-b:coordinates",
    "dfc-b:definedBy",
    "dfc-b:defines",
    "dfc-b:deliveredAt",
    "dfc-b:endsAt",
    "dfc-b:facetOf",
    "dfc-b:from",
    "dfc-b:fulfills",
    "dfc-b:geographicalOriginOf",
    "dfc-b:hasAddress",
    "dfc-b:hasAllergenCharacteristic",
    "dfc-b:hasAllergenDimension",
    "dfc-b:hasBrand",
    "dfc-b:hasCertification",
    "dfc-b:hasCharacteristic",
    "dfc-b:hasClaim",
    "dfc-b:hasContainerInformation",
    "dfc-b:hasCountry",
    "dfc-b:hasDimension",
    "dfc-b:hasFacet",
    "dfc-b:hasFulfilmentStatus",
    "dfc-b:hasGeographicalOrigin",
    "dfc-b:hasIngredient",
    "dfc-b:hasInput",
    "dfc-b:hasLabellingCharacteristic",
    "dfc-b:hasLabellingDimension",
    "dfc-b:hasMainContact",
    "dfc-b:hasNatureOrigin",
    "dfc-b:hasNutrientCharacteristic",
    "dfc-b:hasNutrientDimension",
    "dfc-b:hasObject",
    "dfc-b:hasOffer",
    "dfc-b:hasOption",
    "dfc-b:hasOrderStatus",
    "dfc-b:hasOutput",
    "dfc-b:hasPart",
    "dfc-b:hasPartOrigin",
    "dfc-b:hasPaymentMethod",
    "dfc-b:hasPaymentStatus",
    "dfc-b:hasPhoneNumber",
    "dfc-b:hasPhysicalCharacteristic",
    "dfc-b:hasPhysicalDimension",
    "dfc-b:hasPrice",
    "dfc-b:hasProcess",
    "dfc-b:hasQuantity",
    "dfc-b:hasReference",
    "dfc-b:hasSocialMedia",
    "dfc-b:hasStatus",
    "dfc-b:hasTemperature",
    "dfc-b:hasTransformationType",
    "dfc-b:hasType",
    "dfc-b:hasUnit",
    "dfc-b:hasVariant",
    "dfc-b:holds",
    "dfc-b:hostedAt",
    "dfc-b:hosts",
    "dfc-b:identifiedBy",
    "dfc-b:identifies",
    "dfc-b:industrializedBy",
    "dfc-b:industrializes",
    "dfc-b:inputOf",
    "dfc-b:isAvailableDuring",
    "dfc-b:isFulfilledBy",
    "dfc-b:isIngredientOf",
    "dfc-b:isOpenDuring",
    "dfc-b:isPriceOf",
    "dfc-b:isShippedIn",
    "dfc-b:isTemperatureOf",
    "dfc-b:isVariantOf",
    "dfc-b:labellingCharacteristicOf",
    "dfc-b:listedIn",
    "dfc-b:lists",
    "dfc-b:localizedBy",
    "dfc-b:localizes",
    "dfc-b:mainContactOf",
    "dfc-b:maintainedBy",
    "dfc-b:maintains",
    "dfc-b:managedBy",
    "dfc-b:manages",
    "dfc-b:natureOriginOf",
    "dfc-b:nutrientCharacteristicOf",
    "dfc-b:objectOf",
    "dfc-b:offeredThrough",
    "dfc-b:offers",
    "dfc-b:offersTo",
    "dfc-b:optionOf",
    "dfc-b:orderedBy",
    "dfc-b:orders",
    "dfc-b:outputOf",
    "dfc-b:ownedBy",
    "dfc-b:owns",
    "dfc-b:paidWith",
    "dfc-b:partOf",
    "dfc-b:partOriginOf",
    "dfc-b:phoneNumberOf",
    "dfc-b:physicalCharacteristicOf",
    "dfc-b:pickedUpAt",
    "dfc-b:processOf",
    "dfc-b:producedBy",
    "dfc-b:produces",
    "dfc-b:proposedBy",
    "dfc-b:proposes",
    "dfc-b:referenceOf",
    "dfc-b:referencedBy",
    "dfc-b:references",
    "dfc-b:refersTo",
    "dfc-b:representedBy",
    "dfc-b:represents",
    "dfc-b:requestedBy",
    "dfc-b:requests",
    "dfc-b:satisfiedBy",
    "dfc-b:satisfies",
    "dfc-b:selectedBy",
    "dfc-b:selects",
    "dfc-b:sells",
    "dfc-b:ships",
    "dfc-b:socialMediaOf",
    "dfc-b:soldBy",
    "dfc-b:startsAt",
    "dfc-b:storedIn",
    "dfc-b:stores",
    "dfc-b:suppliedBy",
    "dfc-b:supplies",
    "dfc-b:suppliesTo",
    "dfc-b:to",
    "dfc-b:tracedBy",
    "dfc-b:traces",
    "dfc-b:transformedBy",
    "dfc-b:transforms",
    "dfc-b:transportedBy",
    "dfc-b:transports",
    "dfc-b:typeOf",
    "dfc-b:uses",
    "dfc-t:represent",
    "dfc-t:hasPivot",
    "dfc-t:hostedBy",
    "dfc-t:owner",
];

/// One term of an inline context.
#[derive(Debug, Clone, PartialEq)]
struct Term {
    iri: String,
    link: bool,
}

/// The active context: prefixes and terms from the built-in table and inline objects.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Context {
    prefixes: BTreeMap<String, String>,
    terms: BTreeMap<String, Term>,
    vocab: Option<String>,
}

impl Context {
    /// The DFC context alone (what the known URLs mean), with `tournee:` added.
    pub fn dfc() -> Self {
        let mut context = Context::default();
        context.add_dfc();
        context
            .prefixes
            .insert("tournee".to_string(), TOURNEE_NS.to_string());
        context
    }

    fn add_dfc(&mut self) {
        for (prefix, iri) in PREFIXES {
            self.prefixes.insert(prefix.to_string(), iri.to_string());
        }
        for property in LINK_PROPERTIES {
            let iri = self.expand(property, true);
            let term = Term { iri, link: true };
            self.terms.insert(property.to_string(), term);
        }
    }

    /// Applies a `@context` value (URL, object, or an array of them) found at `path`;
    /// what cannot be read is collected.
    pub fn apply(&mut self, value: &Value, path: &str, problems: &mut Collector) {
        match value {
            Value::Array(items) => {
                for (index, item) in items.iter().enumerate() {
                    self.apply(item, &format!("{path}[{index}]"), problems);
                }
            }
            Value::String(url) if is_known_context(url) => self.add_dfc(),
            Value::String(url) => problems.push(
                Code::DfcUnknownContext,
                path,
                format!(
                    "{url:?} is not a known DFC context URL; contexts are never fetched: use {CONTEXT_URL:?} and inline objects for your own prefixes"
                ),
            ),
            Value::Null => *self = Context::default(),
            Value::Object(entries) => {
                for (key, definition) in entries {
                    self.define(key, definition, &format!("{path}.{key}"), problems);
                }
            }
            _ => problems.push(
                Code::DfcUnsupportedJsonld,
                path,
                "a context is a URL, an object or an array of them",
            ),
        }
    }

    /// One entry of an inline context.
    fn define(&mut self, key: &str, definition: &Value, path: &str, problems: &mut Collector) {
        let unsupported = |problems: &mut Collector, what: &str| {
            problems.push(
                Code::DfcUnsupportedJsonld,
                path,
                format!("{what} is not supported in a DFC document's context"),
            )
        };
        match (key, definition) {
            ("@vocab", Value::String(iri)) => self.vocab = Some(self.expand(iri, false)),
            ("@version" | "@base" | "@language", _) => {}
            ("@import" | "@protected" | "@propagate" | "@direction", _) => {
                unsupported(problems, key)
            }
            (_, Value::String(iri)) if iri.ends_with(['#', '/', ':']) => {
                let iri = self.expand(iri, false);
                self.prefixes.insert(key.to_string(), iri);
            }
            (_, Value::String(iri)) => {
                let iri = self.expand(iri, false);
                self.terms
                    .insert(key.to_string(), Term { iri, link: false });
            }
            (_, Value::Object(entries)) => {
                if entries.contains_key("@context") || entries.contains_key("@reverse") {
                    return unsupported(problems, "a scoped context or reverse term");
                }
                let iri = match entries.get("@id").and_then(Value::as_str) {
                    Some(iri) => self.expand(iri, false),
                    None => self.expand(key, true),
                };
                let link = entries.get("@type").and_then(Value::as_str) == Some("@id");
                self.terms.insert(key.to_string(), Term { iri, link });
            }
            (_, Value::Null) => {
                self.terms.remove(key);
            }
            _ => unsupported(problems, "this term definition"),
        }
    }

    /// A key, type or value IRI expanded: a term, `prefix:local`, an absolute IRI, or
    /// (with `vocab`) a word under `@vocab`; a word with none of these stays as it is.
    pub fn expand(&self, text: &str, vocab: bool) -> String {
        if let Some(term) = self.terms.get(text) {
            return term.iri.clone();
        }
        if let Some((prefix, local)) = text.split_once(':')
            && !local.starts_with("//")
            && let Some(iri) = self.prefixes.get(prefix)
        {
            return format!("{iri}{local}");
        }
        match &self.vocab {
            Some(base) if vocab && !text.contains(':') && !text.starts_with('@') => {
                format!("{base}{text}")
            }
            _ => text.to_string(),
        }
    }

    /// Whether a key's values are links (a string is an IRI, not text).
    pub fn is_link(&self, key: &str) -> bool {
        self.terms.get(key).is_some_and(|term| term.link)
    }
}

/// An expanded IRI in the compact form used in violation paths (`dfc-b:hasQuantity`).
pub fn compact(iri: &str) -> String {
    let named = [("dfc-b", DFC_B), ("dfc-m", DFC_M), ("tournee", TOURNEE_NS)];
    for (prefix, namespace) in named {
        if let Some(local) = iri.strip_prefix(namespace) {
            return format!("{prefix}:{local}");
        }
    }
    iri.to_string()
}
