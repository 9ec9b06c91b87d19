/**
 * What a name can stand for while checking, and the scopes that hold them.
 */
import type { Span } from '../../diagnostics/span.js';
import type { ElementType, IrNet, Shape } from '../../ir/ir.js';

export type SymbolKind = 'constant' | 'data' | 'latent' | 'net' | 'param' | 'definition';

/** Positivity of a value, as far as it can be known without running it. */
export type Positivity = 'positive' | 'nonnegative' | 'unknown';

interface SymbolBase {
  readonly name: string;
  readonly span: Span;
  /** Set when the name is read anywhere (for unused-declaration warnings). */
  used: boolean;
}

export interface ConstantSymbol extends SymbolBase {
  readonly kind: 'constant';
  readonly value: number | undefined;
}

export interface TensorSymbol extends SymbolBase {
  readonly kind: 'data' | 'latent' | 'param' | 'definition';
  readonly shape: Shape;
  readonly element: ElementType;
  readonly positivity: Positivity;
  /** The latents this value depends on (for definitions: through their expression). */
  readonly dependsOn: ReadonlySet<string>;
  /**
   * Its declaration is in error (already reported): the name is known, but
   * uses of it are not checked further, so one mistake gives one diagnostic.
   */
  readonly invalid?: boolean;
}

export interface NetSymbol extends SymbolBase {
  readonly kind: 'net';
  readonly net: IrNet | undefined;
  /** Number of input and output values (the size of `net.inputShape`, `net.outputShape`). */
  readonly inputs: number | undefined;
  readonly outputs: number | undefined;
}

export type Symbol = ConstantSymbol | TensorSymbol | NetSymbol;

export const SYMBOL_KIND_NAMES: Record<SymbolKind, string> = {
  constant: 'constant',
  data: 'data',
  latent: 'latent variable',
  net: 'network',
  param: 'parameter',
  definition: 'definition',
};

/** The kind of a symbol with its article, for messages: "'x' is data", "'f' is a network". */
export function describeSymbolKind(kind: SymbolKind): string {
  return kind === 'data' ? 'data' : `a ${SYMBOL_KIND_NAMES[kind]}`;
}

/** A lexical scope: names declared here, falling back to the parent. */
export class Scope {
  private readonly symbols = new Map<string, Symbol>();

  constructor(readonly parent?: Scope) {}

  lookup(name: string): Symbol | undefined {
    return this.symbols.get(name) ?? this.parent?.lookup(name);
  }

  lookupLocal(name: string): Symbol | undefined {
    return this.symbols.get(name);
  }

  define(symbol: Symbol): void {
    this.symbols.set(symbol.name, symbol);
  }

  /** Every visible name (for "did you mean" suggestions). */
  names(): string[] {
    return [...this.symbols.keys(), ...(this.parent?.names() ?? [])];
  }

  local(): Symbol[] {
    return [...this.symbols.values()];
  }
}
