import type { IrExpr } from '../../ir/ir.js';

/** Names of variables (data, latents, definitions) an IR expression reads directly. */
export function referencedVariables(expr: IrExpr, out: Set<string> = new Set()): Set<string> {
  switch (expr.kind) {
    case 'variable':
      out.add(expr.name);
      break;
    case 'apply':
      referencedVariables(expr.input, out);
      break;
    case 'unary':
    case 'negate':
      referencedVariables(expr.operand, out);
      break;
    case 'binary':
      referencedVariables(expr.left, out);
      referencedVariables(expr.right, out);
      break;
    case 'concat':
      expr.parts.forEach((p) => referencedVariables(p, out));
      break;
    case 'slice':
      referencedVariables(expr.target, out);
      break;
    case 'constant':
    case 'parameter':
      break;
  }
  return out;
}
