import { MendError } from '../../errors';
import { CONSTANT_OPS } from './constant-ops';
import type { GraphModel, GraphNode } from './graph-model';
import { fromValues, type HostTensor } from './host-tensor';

/** What is left of a graph once its input shape is fixed: the nodes still to run, and every value known ahead. */
export interface SpecializedGraph {
  /** Nodes that depend on the input, in an order where each comes after its inputs. */
  nodes: GraphNode[];
  constants: Map<string, HostTensor>;
  inputName: string;
  /** The nodes computing the outputs asked for. */
  outputNames: string[];
  inputShape: number[];
}

/** The nodes the outputs depend on, inputs first; iterative, since these graphs are thousands of nodes deep. */
function topologicalOrder(model: GraphModel, outputNames: readonly string[]): GraphNode[] {
  const byName = new Map(model.nodes.map((node) => [node.name, node]));
  const order: GraphNode[] = [];
  const state = new Map<string, 'open' | 'done'>();
  const stack: Array<{ node: GraphNode; next: number }> = [];
  const visit = (name: string, from: string) => {
    const node = byName.get(name);
    if (!node) throw new MendError('model_invalid', `node ${from} reads ${name}, which the graph does not define`);
    if (state.get(name) === 'open') throw new MendError('model_invalid', `the graph has a cycle through ${name}; Mend converts graphs without control flow`);
    if (state.has(name)) return;
    state.set(name, 'open');
    stack.push({ node, next: 0 });
  };
  for (const output of outputNames) {
    visit(output, 'the signature output');
    while (stack.length > 0) {
      const top = stack[stack.length - 1];
      if (top.next < top.node.inputs.length) {
        visit(top.node.inputs[top.next++], top.node.name);
        continue;
      }
      stack.pop();
      state.set(top.node.name, 'done');
      order.push(top.node);
    }
  }
  return order;
}

/**
 * Fixes the input shape and folds every node whose inputs are then all known (the shape
 * arithmetic, and weight preprocessing such as resize matrices), keeping the nodes that read the input.
 * Only what `outputKeys` (signature keys; all of them when absent) need is kept.
 */
export function specialize(model: GraphModel, inputShape: readonly number[], outputKeys: readonly string[] = Object.keys(model.outputs)): SpecializedGraph {
  const outputNames = outputKeys.map((key) => {
    const name = model.outputs[key];
    if (!name) throw new MendError('model_invalid', `the model has no output ${key}; its outputs are ${Object.keys(model.outputs).join(', ')}`);
    return name;
  });
  const constants = new Map<string, HostTensor>();
  const nodes: GraphNode[] = [];
  for (const node of topologicalOrder(model, outputNames)) {
    if (node.op === 'Const') {
      constants.set(node.name, model.constants.get(node.name) as HostTensor);
    } else if (node.op === 'Shape' && node.inputs[0] === model.inputName) {
      constants.set(node.name, fromValues('int32', [inputShape.length], inputShape));
    } else if (node.op !== 'Placeholder' && node.inputs.every((input) => constants.has(input)) && CONSTANT_OPS[node.op]) {
      constants.set(
        node.name,
        CONSTANT_OPS[node.op](
          node,
          node.inputs.map((input) => constants.get(input) as HostTensor),
        ),
      );
    } else {
      nodes.push(node);
    }
  }
  if (!nodes.some((node) => node.name === model.inputName)) throw new MendError('model_invalid', `the model's output does not depend on its input ${model.inputName}`);
  return { nodes, constants, inputName: model.inputName, outputNames, inputShape: [...inputShape] };
}
