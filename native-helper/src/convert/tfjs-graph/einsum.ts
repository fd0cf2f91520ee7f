import { MendError } from '../../errors';

/**
 * How a two-operand Einsum that multiplies a tensor by a matrix runs as MatMul, which onnxruntime's
 * CPU provider runs faster than Einsum: permute the tensor so the contracted index is last, multiply
 * by the matrix laid out [contracted, kept], then permute the product into the output order.
 * jax2tf writes every resize and every dense layer of MAXIM this way (e.g. `abcg,gf->abcf`).
 */
export interface MatMulPlan {
  /** Which operand is the matrix. */
  matrixOperand: 0 | 1;
  /** Permutation of the tensor operand, or undefined where it is already in order. */
  tensorPerm?: number[];
  /** Whether the matrix is stored [kept, contracted] and must be transposed first. */
  transposeMatrix: boolean;
  /** Permutation of the product into the output's order, or undefined where none is needed. */
  outputPerm?: number[];
}

function permutation(from: string, to: string): number[] | undefined {
  const perm = [...to].map((letter) => from.indexOf(letter));
  return perm.every((axis, i) => axis === i) ? undefined : perm;
}

/** Plans `equation` (two operands, one of them a matrix sharing one contracted index) as MatMul; refuses anything else. */
export function planEinsumAsMatMul(equation: string, where: string): MatMulPlan {
  const refuse = () => new MendError('model_invalid', `${where}: Einsum "${equation}" is not a tensor-by-matrix product, which is all Mend converts Einsum to`);
  const match = /^([a-z]+),([a-z]+)->([a-z]*)$/.exec(equation.replace(/\s/g, ''));
  if (!match) throw refuse();
  const operands = [match[1], match[2]];
  const out = match[3];
  const matrixOperand = operands[1].length === 2 ? 1 : operands[0].length === 2 ? 0 : undefined;
  if (matrixOperand === undefined || operands.some((letters) => new Set(letters).size !== letters.length)) throw refuse();
  const matrix = operands[matrixOperand];
  const tensor = operands[1 - matrixOperand];
  const contracted = [...matrix].filter((letter) => tensor.includes(letter));
  if (contracted.length !== 1 || out.includes(contracted[0])) throw refuse();
  const kept = [...matrix].find((letter) => letter !== contracted[0]) as string;
  const tensorOrder = [...tensor].filter((letter) => letter !== contracted[0]).join('') + contracted[0];
  const product = tensorOrder.slice(0, -1) + kept;
  if (out.length !== product.length || [...out].some((letter) => !product.includes(letter))) throw refuse();
  return {
    matrixOperand,
    tensorPerm: permutation(tensor, tensorOrder),
    transposeMatrix: matrix[0] !== contracted[0],
    outputPerm: permutation(product, out),
  };
}
