//! Recursive types: a struct or union that contains itself by value (through
//! fields, `Option`s or aliases, not through a `Vec` or map) would have
//! infinite size. Such fields and members are boxed; nothing else is.

use std::path::Path;

use crate::model::ir::{TypeDef, TypeId, TypeKind};
use crate::support::error::{Error, Result};

/// Marks `boxed` on every by-value edge that closes a cycle.
pub fn box_recursive_fields(types: &mut [TypeDef], file: &Path) -> Result<()> {
    let edges: Vec<Vec<TypeId>> = types.iter().map(by_value_edges).collect();
    let component = strongly_connected_components(&edges);
    for (index, ty) in types.iter_mut().enumerate() {
        let same_cycle =
            |target: &[TypeId]| target.iter().any(|t| component[t.0] == component[index]);
        match &mut ty.kind {
            TypeKind::Struct(def) => {
                for field in &mut def.fields {
                    let mut targets = Vec::new();
                    field.ty.by_value_targets(&mut targets);
                    field.boxed = same_cycle(&targets);
                }
            }
            TypeKind::Union(def) => {
                for variant in &mut def.variants {
                    let mut targets = Vec::new();
                    variant.ty.by_value_targets(&mut targets);
                    variant.boxed = same_cycle(&targets);
                }
            }
            TypeKind::Alias(target) => {
                let mut targets = Vec::new();
                target.by_value_targets(&mut targets);
                if targets.contains(&TypeId(index)) {
                    return Err(Error::at_pointer(file, &ty.pointer, "this schema is defined as itself (a reference cycle with nothing in between)"));
                }
            }
            TypeKind::StringEnum(_) => {}
        }
    }
    reject_alias_only_cycles(types, &edges, &component, file)
}

fn by_value_edges(ty: &TypeDef) -> Vec<TypeId> {
    let mut targets = Vec::new();
    match &ty.kind {
        TypeKind::Struct(def) => def
            .fields
            .iter()
            .for_each(|f| f.ty.by_value_targets(&mut targets)),
        TypeKind::Union(def) => def
            .variants
            .iter()
            .for_each(|v| v.ty.by_value_targets(&mut targets)),
        TypeKind::Alias(target) => target.by_value_targets(&mut targets),
        TypeKind::StringEnum(_) => {}
    }
    targets
}

/// A cycle made only of aliases cannot be broken by boxing.
fn reject_alias_only_cycles(
    types: &[TypeDef],
    edges: &[Vec<TypeId>],
    component: &[usize],
    file: &Path,
) -> Result<()> {
    for (index, ty) in types.iter().enumerate() {
        if !matches!(ty.kind, TypeKind::Alias(_)) {
            continue;
        }
        let cyclic = edges[index]
            .iter()
            .any(|t| component[t.0] == component[index]);
        let has_breaker = types.iter().enumerate().any(|(other, t)| {
            component[other] == component[index] && !matches!(t.kind, TypeKind::Alias(_))
        });
        if cyclic && !has_breaker {
            return Err(Error::at_pointer(file, &ty.pointer, "reference cycle made only of aliases: the schemas refer to each other with nothing in between"));
        }
    }
    Ok(())
}

/// Tarjan's algorithm, iterative so that deep graphs cannot overflow the
/// stack. Returns the component number of each node.
fn strongly_connected_components(edges: &[Vec<TypeId>]) -> Vec<usize> {
    const UNSEEN: usize = usize::MAX;
    let n = edges.len();
    let mut index = vec![UNSEEN; n];
    let mut low = vec![0; n];
    let mut on_stack = vec![false; n];
    let mut stack = Vec::new();
    let mut component = vec![UNSEEN; n];
    let mut next_index = 0;
    let mut next_component = 0;
    for root in 0..n {
        if index[root] != UNSEEN {
            continue;
        }
        let mut work: Vec<(usize, usize)> = vec![(root, 0)];
        while let Some((node, edge)) = work.pop() {
            if edge == 0 {
                index[node] = next_index;
                low[node] = next_index;
                next_index += 1;
                stack.push(node);
                on_stack[node] = true;
            }
            if let Some(target) = edges[node].get(edge).map(|t| t.0) {
                work.push((node, edge + 1));
                if index[target] == UNSEEN {
                    work.push((target, 0));
                } else if on_stack[target] {
                    low[node] = low[node].min(index[target]);
                }
                continue;
            }
            if low[node] == index[node] {
                while let Some(member) = stack.pop() {
                    on_stack[member] = false;
                    component[member] = next_component;
                    if member == node {
                        break;
                    }
                }
                next_component += 1;
            }
            if let Some(&(parent, _)) = work.last() {
                low[parent] = low[parent].min(low[node]);
            }
        }
    }
    component
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(list: &[usize]) -> Vec<TypeId> {
        list.iter().map(|i| TypeId(*i)).collect()
    }

    #[test]
    fn finds_cycles_and_leaves_acyclic_nodes_alone() {
        let edges = vec![ids(&[1]), ids(&[0, 2]), ids(&[]), ids(&[3])];
        let c = strongly_connected_components(&edges);
        assert_eq!(c[0], c[1]);
        assert_ne!(c[0], c[2]);
        assert_ne!(c[2], c[3]);
    }
}
