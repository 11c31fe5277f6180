//! The node index of a DFC JSON-LD document: every node, wherever it sits (a flat
//! `@graph`, nested trees, arrays, `@list`s), under its expanded `@id`, nodes sharing an
//! `@id` merged, each property's values as links or literals, and a reverse index so a
//! link can be followed from either side of an inverse pair (`hasPart`/`partOf`…).
//!
//! Why not a JSON-LD processor: the DFC context has no aliases, no `@vocab` and no scoped
//! contexts, the adapter reads a fixed set of about fifty IRIs, and the crates that do
//! JSON-LD pull a hundred dependencies and an async loader (design DFC.md §8). What this
//! reader does not handle (`@reverse`, `@nest`, `@included`) is refused by name.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value};

use super::context::{Context, compact};
use super::terms::Term;
use crate::validate::{Code, Collector};

/// A literal value: text, a number or a boolean (`@value` objects unwrapped).
#[derive(Debug, Clone, PartialEq)]
pub enum Literal {
    /// Text (dates, times, numeric strings as written).
    Text(String),
    /// A JSON number.
    Number(f64),
    /// A JSON boolean.
    Bool(bool),
}

impl Literal {
    /// The value as a number: a JSON number or a numeric text.
    pub fn number(&self) -> Option<f64> {
        match self {
            Literal::Number(value) => Some(*value),
            Literal::Text(text) => text.trim().parse().ok().filter(|v: &f64| v.is_finite()),
            Literal::Bool(_) => None,
        }
    }

    /// The value as a boolean: a JSON boolean or `"true"`/`"false"`.
    pub fn bool(&self) -> Option<bool> {
        match self {
            Literal::Bool(value) => Some(*value),
            Literal::Text(text) => text.trim().parse().ok(),
            Literal::Number(_) => None,
        }
    }

    /// The value as text.
    pub fn text(&self) -> String {
        match self {
            Literal::Text(text) => text.clone(),
            Literal::Number(value) => value.to_string(),
            Literal::Bool(value) => value.to_string(),
        }
    }
}

/// One value of a property.
#[derive(Debug, Clone, PartialEq)]
enum Item {
    /// A link to a node (`{"@id"}`, an embedded node, or a string where a link goes).
    Link(String),
    /// A literal, with the context it was read in (a text in a link position is a
    /// compact IRI to expand with it).
    Literal(Literal),
}

/// One node: its types and properties, keys and types expanded.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Node {
    /// The node's `@id` (minted after its owner when it had none).
    pub id: String,
    types: BTreeSet<String>,
    properties: BTreeMap<String, Vec<Item>>,
}

/// Every node of a document, and who links to whom.
#[derive(Debug, Default)]
pub struct Graph {
    nodes: BTreeMap<String, Node>,
    /// (target, property) → sources, for following inverse links.
    reverse: BTreeMap<(String, String), BTreeSet<String>>,
    /// The document's top-level context, to expand compact IRIs met in link positions.
    context: Context,
    /// Ids minted so far, to keep minted ids unique.
    minted: BTreeMap<String, usize>,
}

impl Graph {
    /// Indexes a whole document; what cannot be read is collected in `problems`.
    pub fn read(document: &Value, problems: &mut Collector) -> Graph {
        let mut graph = Graph::default();
        let mut context = Context::default();
        match document {
            Value::Object(object) => {
                if let Some(value) = object.get("@context") {
                    context.apply(value, "@context", problems);
                } else {
                    problems.push(
                        Code::DfcUnknownContext,
                        "@context",
                        "a DFC document names its context, e.g. \"https://w3id.org/dfc/ontology/context/context_1.16.0.json\"",
                    );
                }
                graph.context = context.clone();
                match object.get("@graph") {
                    Some(nodes) => graph.read_values(nodes, &context, "_:graph", problems),
                    None => {
                        // One tree: its context is applied already.
                        let mut tree = object.clone();
                        tree.remove("@context");
                        graph.read_node(&tree, &context, None, problems);
                    }
                }
            }
            Value::Array(_) => graph.read_values(document, &context, "_:graph", problems),
            _ => problems.push(
                Code::DfcUnsupportedJsonld,
                "document",
                "a DFC document is a JSON object (or an array of nodes)",
            ),
        }
        graph
    }

    /// Top-level nodes (of `@graph`, or of a top-level array).
    fn read_values(
        &mut self,
        value: &Value,
        context: &Context,
        owner: &str,
        problems: &mut Collector,
    ) {
        let items: Vec<&Value> = match value {
            Value::Array(items) => items.iter().collect(),
            other => vec![other],
        };
        for item in items {
            match item {
                Value::Object(object) => {
                    self.read_node(object, context, Some(owner), problems);
                }
                _ => problems.push(
                    Code::DfcUnsupportedJsonld,
                    "@graph",
                    "every entry of @graph is a node object",
                ),
            }
        }
    }

    /// Indexes one node object (and the nodes embedded in it); returns its id.
    fn read_node(
        &mut self,
        object: &Map<String, Value>,
        outer: &Context,
        owner: Option<&str>,
        problems: &mut Collector,
    ) -> String {
        let mut context = outer.clone();
        if let Some(local) = object.get("@context") {
            context.apply(local, "@context", problems);
        }
        let id = match object.get("@id").and_then(Value::as_str) {
            Some(id) => context.expand(id, false),
            None => self.mint(owner.unwrap_or("_:node")),
        };
        let mut node = Node {
            id: id.clone(),
            ..Node::default()
        };
        for (key, value) in object {
            match key.as_str() {
                "@id" | "@context" => {}
                "@type" => {
                    for name in strings(value) {
                        node.types.insert(context.expand(name, true));
                    }
                }
                "@graph" => self.read_values(value, &context, &id, problems),
                "@reverse" | "@nest" | "@included" | "@index" => problems.push(
                    Code::DfcUnsupportedJsonld,
                    format!("{id} {key}"),
                    format!("{key} is not read by tournee's DFC reader; write the links forward"),
                ),
                _ => {
                    let property = context.expand(key, true);
                    if !property.contains(':') {
                        continue; // an undefined word: JSON-LD drops it too
                    }
                    let link = context.is_link(key);
                    let owner = format!("{id}#{}", local_name(&property));
                    let items = self.read_items(value, &context, link, &owner, problems);
                    node.properties.entry(property).or_default().extend(items);
                }
            }
        }
        self.insert(node);
        id
    }

    /// A property's values (arrays, `@list`s and `@set`s flattened in order).
    fn read_items(
        &mut self,
        value: &Value,
        context: &Context,
        link: bool,
        owner: &str,
        problems: &mut Collector,
    ) -> Vec<Item> {
        match value {
            Value::Null => Vec::new(),
            Value::Array(values) => values
                .iter()
                .flat_map(|value| self.read_items(value, context, link, owner, problems))
                .collect(),
            Value::Bool(value) => vec![Item::Literal(Literal::Bool(*value))],
            Value::Number(number) => number
                .as_f64()
                .map(|value| Item::Literal(Literal::Number(value)))
                .into_iter()
                .collect(),
            Value::String(text) if link || looks_like_iri(text) => {
                vec![Item::Link(context.expand(text, false))]
            }
            Value::String(text) => vec![Item::Literal(Literal::Text(text.clone()))],
            Value::Object(object) => {
                if let Some(inner) = object.get("@value") {
                    return self.read_items(inner, context, false, owner, problems);
                }
                if let Some(list) = object.get("@list").or_else(|| object.get("@set")) {
                    return self.read_items(list, context, link, owner, problems);
                }
                if object.len() == 1
                    && let Some(id) = object.get("@id").and_then(Value::as_str)
                {
                    return vec![Item::Link(context.expand(id, false))];
                }
                vec![Item::Link(self.read_node(
                    object,
                    context,
                    Some(owner),
                    problems,
                ))]
            }
        }
    }

    /// A deterministic id for a node without one: its owner's id and property, so it
    /// does not change with the serialisation (blank-node labels do).
    fn mint(&mut self, owner: &str) -> String {
        let count = self.minted.entry(owner.to_string()).or_insert(0);
        *count += 1;
        match *count {
            1 => owner.to_string(),
            n => format!("{owner}-{n}"),
        }
    }

    /// Adds a node, merging it into one of the same id, and indexes its links.
    fn insert(&mut self, node: Node) {
        for (property, items) in &node.properties {
            for item in items {
                if let Item::Link(target) = item {
                    let key = (target.clone(), property.clone());
                    self.reverse.entry(key).or_default().insert(node.id.clone());
                }
            }
        }
        let entry = self.nodes.entry(node.id.clone()).or_default();
        entry.id = node.id;
        entry.types.extend(node.types);
        for (property, items) in node.properties {
            entry.properties.entry(property).or_default().extend(items);
        }
    }

    /// The node of `id`, if the document holds it (a node with no property but `@id`
    /// is a reference, not a node).
    pub fn node(&self, id: &str) -> Option<&Node> {
        self.nodes
            .get(id)
            .filter(|node| !node.types.is_empty() || !node.properties.is_empty())
    }

    /// Every node of one of `types`, in `@id` order.
    pub fn of_type(&self, types: &[Term]) -> Vec<&Node> {
        self.nodes.values().filter(|node| node.is(types)).collect()
    }

    /// The targets of `node`'s `forward` links and the sources of links `inverse` to
    /// it, in order, without repeats.
    pub fn linked(&self, node: &Node, forward: &[Term], inverse: &[Term]) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for (property, items) in &node.properties {
            if forward.iter().any(|term| term.matches(property)) {
                for item in items {
                    let target = match item {
                        Item::Link(target) => target.clone(),
                        Item::Literal(literal) => self.context.expand(&literal.text(), false),
                    };
                    if !out.contains(&target) {
                        out.push(target);
                    }
                }
            }
        }
        for ((target, property), sources) in self.reverse.range((node.id.clone(), String::new())..)
        {
            if target != &node.id {
                break;
            }
            if inverse.iter().any(|term| term.matches(property)) {
                for source in sources {
                    if !out.contains(source) {
                        out.push(source.clone());
                    }
                }
            }
        }
        out
    }

    /// The literals of `node`'s `property` (any alias).
    pub fn literals<'a>(&self, node: &'a Node, property: &[Term]) -> Vec<&'a Literal> {
        node.properties
            .iter()
            .filter(|(key, _)| property.iter().any(|term| term.matches(key)))
            .flat_map(|(_, items)| items)
            .filter_map(|item| match item {
                Item::Literal(literal) => Some(literal),
                Item::Link(_) => None,
            })
            .collect()
    }

    /// The first literal of `node`'s `property`.
    pub fn literal<'a>(&self, node: &'a Node, property: &[Term]) -> Option<&'a Literal> {
        self.literals(node, property).into_iter().next()
    }

    /// The first link of `node`'s `property` (a text value read as a compact IRI).
    pub fn link(&self, node: &Node, property: &[Term]) -> Option<String> {
        self.linked(node, property, &[]).into_iter().next()
    }
}

impl Node {
    /// Whether the node has one of `types`.
    pub fn is(&self, types: &[Term]) -> bool {
        self.types
            .iter()
            .any(|iri| types.iter().any(|term| term.matches(iri)))
    }

    /// The path of one of its properties in violations: `<@id> dfc-b:hasQuantity`.
    pub fn path(&self, property: &[Term]) -> String {
        match property.first() {
            Some(term) => format!("{} {}", self.id, compact(&term.iri())),
            None => self.id.clone(),
        }
    }
}

/// One string or an array of strings (`@type` values).
fn strings(value: &Value) -> Vec<&str> {
    match value {
        Value::String(text) => vec![text.as_str()],
        Value::Array(items) => items.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    }
}

/// Whether a text in a literal position is plainly an IRI (then it is a link: the
/// context may not say so for extension or 2.0 properties).
fn looks_like_iri(text: &str) -> bool {
    ["http://", "https://", "urn:", "_:"]
        .iter()
        .any(|scheme| text.starts_with(scheme))
}

/// The last segment of an IRI (`…#hasAddress` → `hasAddress`).
fn local_name(iri: &str) -> &str {
    iri.rsplit(['#', '/', ':']).next().unwrap_or(iri)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::dfc::terms::b;

    fn read(document: Value) -> (Graph, Collector) {
        let mut problems = Collector::default();
        let graph = Graph::read(&document, &mut problems);
        (graph, problems)
    }

    #[test]
    fn nested_referenced_and_inverse_links_meet() {
        let (graph, problems) = read(json!({
            "@context": "https://www.datafoodconsortium.org",
            "@graph": [
                {"@id": "ex:o", "@type": "dfc-b:Order", "dfc-b:hasPart": {"@id": "http://x/l1"}},
                {"@id": "http://x/l2", "@type": "dfc-b:OrderLine", "dfc-b:partOf": "ex:o",
                 "dfc-b:hasQuantity": {"@type": "dfc-b:QuantitativeValue",
                    "dfc-b:value": {"@value": "2.5", "@type": "xsd:decimal"}}},
                {"@id": "http://x/l1", "@type": "dfc-b:OrderLine"}
            ]
        }));
        assert!(problems.is_empty());
        let order = graph.node("ex:o").unwrap();
        let lines = graph.linked(order, &[b("hasPart")], &[b("partOf")]);
        assert_eq!(lines, ["http://x/l1", "http://x/l2"]);
        let line = graph.node("http://x/l2").unwrap();
        let quantity = graph.link(line, &[b("hasQuantity")]).unwrap();
        assert_eq!(quantity, "http://x/l2#hasQuantity");
        let value = graph.literal(graph.node(&quantity).unwrap(), &[b("value")]);
        assert_eq!(value.and_then(Literal::number), Some(2.5));
    }

    #[test]
    fn unknown_contexts_and_reverse_keys_are_refused_by_path() {
        let (_, problems) = read(json!({
            "@context": ["https://example.org/context.json", {"tournee": "https://w3id.org/tournee/ns#"}],
            "@id": "http://x/a", "@reverse": {}
        }));
        let violations = problems.finish(()).unwrap_err().0;
        let codes: Vec<_> = violations
            .iter()
            .map(|v| (v.code.as_str(), v.field.as_str()))
            .collect();
        assert_eq!(
            codes,
            [
                ("dfc.unknown_context", "@context[0]"),
                ("dfc.unsupported_jsonld", "http://x/a @reverse")
            ]
        );
    }
}
