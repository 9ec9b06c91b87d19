/**
 * Depth-first topological order: each node after its dependencies, otherwise
 * in the given order. Reports each cycle found (the nodes around it).
 */
export function topologicalOrder(nodes: readonly string[], dependencies: (node: string) => readonly string[]): { order: string[]; cycles: string[][] } {
  const order: string[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const cycles: string[][] = [];
  const stack: string[] = [];
  const visit = (node: string): void => {
    const s = state.get(node);
    if (s === 'done') return;
    if (s === 'visiting') {
      cycles.push(stack.slice(stack.indexOf(node)));
      return;
    }
    state.set(node, 'visiting');
    stack.push(node);
    for (const dependency of dependencies(node)) visit(dependency);
    stack.pop();
    state.set(node, 'done');
    order.push(node);
  };
  nodes.forEach(visit);
  return { order, cycles };
}
