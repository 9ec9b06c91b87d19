/**
 * A human summary of a checked model, read off its IR: what `strata check`
 * prints for a valid file.
 */
import { isWeightedLayer, shapeSize, type IrModel, type IrVariable, type Owner } from '../ir/ir.js';
import { describeDistribution } from '../ir/flows.js';
import { alignColumns, formatCount } from '../util/columns.js';

export interface LatentSummary {
  readonly name: string;
  /** `real[450]`. */
  readonly type: string;
  /** The family of its prior in the model. */
  readonly family: string;
  /** Its family in each guide that samples it, in guide order. */
  readonly guides: readonly { readonly guide: string; readonly family: string }[];
}

export interface DataSummary {
  readonly name: string;
  readonly type: string;
  /** The likelihood's family, when the model observes it. */
  readonly family?: string;
}

export interface GuideSummary {
  readonly name: string;
  readonly isDefault: boolean;
  /** Latents in the order the guide samples them. */
  readonly samples: readonly string[];
  readonly parameterCount: number;
}

export interface NetSummary {
  readonly name: string;
  /** `model` or `guide NAME`. */
  readonly owner: string;
  /** Layer widths, input first: `[20, 512, 900]` (for a cnn, the number of values after each layer). */
  readonly sizes: readonly number[];
  /** For a network with image layers (cnn), the input shape and each layer with its output shape: `['[28, 28, 1]', 'conv2d [14, 14, 32]', ...]`. */
  readonly layers?: readonly string[];
  /** Between layers; absent for a single (linear) layer. */
  readonly activation?: string;
  readonly parameterCount: number;
}

/** A `param` declared outside any network. */
export interface ParamSummary {
  readonly name: string;
  readonly type: string;
  readonly owner: string;
  readonly parameterCount: number;
}

export interface ModelSummary {
  readonly data: readonly DataSummary[];
  readonly latents: readonly LatentSummary[];
  readonly guides: readonly GuideSummary[];
  readonly nets: readonly NetSummary[];
  readonly params: readonly ParamSummary[];
  /** Scalars to learn: the sum over parameters of the product of their shape. */
  readonly parameterCounts: {
    readonly model: number;
    readonly guide: number;
    readonly byGuide: Readonly<Record<string, number>>;
    readonly total: number;
  };
}

/** `real[450]`, `binary[28, 28]`, `real` for a scalar. */
export function formatType(variable: Pick<IrVariable, 'element' | 'shape'>): string {
  return variable.shape.length === 0 ? variable.element : `${variable.element}[${variable.shape.join(', ')}]`;
}

function ownerLabel(owner: Owner): string {
  return owner.kind === 'model' ? 'model' : `guide ${owner.guide}`;
}

/** Collects the summary of a model from its IR. */
export function summarizeModel(ir: IrModel): ModelSummary {
  const sizeOf = new Map(ir.parameters.map((p) => [p.name, shapeSize(p.shape)]));
  const modelFamily = new Map(ir.model.flatMap((s) => (s.kind === 'sample' ? [[s.name, describeDistribution(s)] as const] : [])));
  const guideFamilies = ir.guides.map((g) => ({
    guide: g.name,
    families: new Map(g.statements.flatMap((s) => (s.kind === 'sample' ? [[s.name, describeDistribution(s)] as const] : []))),
  }));
  const latents = ir.latents.map((v) => ({
    name: v.name,
    type: formatType(v),
    family: modelFamily.get(v.name) ?? '?',
    guides: guideFamilies.flatMap(({ guide, families }) => {
      const family = families.get(v.name);
      return family === undefined ? [] : [{ guide, family }];
    }),
  }));
  const data = ir.data.map((v) => {
    const family = modelFamily.get(v.name);
    return family === undefined ? { name: v.name, type: formatType(v) } : { name: v.name, type: formatType(v), family };
  });
  const countOwned = (keep: (o: Owner) => boolean) =>
    ir.parameters.filter((p) => keep(p.owner)).reduce((sum, p) => sum + shapeSize(p.shape), 0);
  const byGuide = Object.fromEntries(ir.guides.map((g) => [g.name, countOwned((o) => o.kind === 'guide' && o.guide === g.name)]));
  const guides = ir.guides.map((g) => ({
    name: g.name,
    isDefault: g.name === ir.defaultGuide,
    samples: g.statements.flatMap((s) => (s.kind === 'sample' ? [s.name] : [])),
    parameterCount: byGuide[g.name] ?? 0,
  }));
  const netParameters = new Set(ir.nets.flatMap((n) => n.layers.filter(isWeightedLayer).flatMap((l) => [l.weight, l.bias])));
  const nets = ir.nets.map((n) => {
    const outputShapes = n.layers.map((l) => (l.kind === 'dense' ? [l.outputs] : l.outputShape));
    const sizes = n.layers.length === 0 ? [] : [n.inputShape, ...outputShapes].map(shapeSize);
    const parameterCount = n.layers.filter(isWeightedLayer).reduce((sum, l) => sum + (sizeOf.get(l.weight) ?? 0) + (sizeOf.get(l.bias) ?? 0), 0);
    const imageLayers = n.layers.some((l) => l.kind !== 'dense');
    const layers = [`[${n.inputShape.join(', ')}]`, ...n.layers.map((l, i) => `${l.kind === 'reshape' && outputShapes[i]!.length === 1 ? 'flatten' : l.kind} [${outputShapes[i]!.join(', ')}]`)];
    const base = { name: n.name, owner: ownerLabel(n.owner), sizes, ...(imageLayers ? { layers } : {}), parameterCount };
    return n.layers.filter(isWeightedLayer).length > 1 ? { ...base, activation: n.activation } : base;
  });
  const params = ir.parameters
    .filter((p) => !netParameters.has(p.name))
    .map((p) => ({ name: p.name, type: formatType({ element: 'real', shape: p.shape }), owner: ownerLabel(p.owner), parameterCount: shapeSize(p.shape) }));
  const model = countOwned((o) => o.kind === 'model');
  const guide = countOwned((o) => o.kind === 'guide');
  return { data, latents, guides, nets, params, parameterCounts: { model, guide, byGuide, total: model + guide } };
}

const INDENT = '  ';

function section(title: string, rows: readonly (readonly string[])[], rightAligned: readonly number[] = []): string[] {
  if (rows.length === 0) return [];
  return [`${INDENT}${title}`, ...alignColumns(rows, rightAligned).map((line) => INDENT.repeat(2) + line)];
}

/** `'  1,234 parameters'` for each count, the numbers right-aligned among themselves. */
function parameterCells(counts: readonly number[]): string[] {
  const width = Math.max(0, ...counts.map((n) => formatCount(n).length));
  return counts.map((n) => `${formatCount(n).padStart(width)} parameter${n === 1 ? '' : 's'}`);
}

/**
 * Renders a summary as indented text under a heading, ending with a newline:
 *
 * ```text
 * models/tdvae.ppl: ok
 *   latents
 *     z2  real[20]   Normal   (guide topdown: Normal, guide bottomup: Normal)
 *     z1  real[450]  Laplace  (guide topdown: Laplace, guide bottomup: Laplace)
 *   ...
 *   parameters
 *     model    652,852
 *     ...
 * ```
 */
export function formatSummary(summary: ModelSummary, heading: string): string {
  const counts = summary.parameterCounts;
  const guideCounts = parameterCells(summary.guides.map((g) => g.parameterCount));
  const netCounts = parameterCells(summary.nets.map((n) => n.parameterCount));
  const paramCounts = parameterCells(summary.params.map((p) => p.parameterCount));
  const guideShares = summary.guides.map((g) => `${g.name} ${formatCount(g.parameterCount)}`).join(', ');
  const lines = [
    heading,
    ...section(
      'latents',
      summary.latents.map((l) => {
        const guides = l.guides.map((g) => `guide ${g.guide}: ${g.family}`).join(', ');
        return [l.name, l.type, l.family, guides === '' ? '' : `(${guides})`];
      }),
    ),
    ...section('data', summary.data.map((d) => [d.name, d.type, d.family === undefined ? 'not observed' : `observed ~ ${d.family}`])),
    ...section(
      'guides',
      summary.guides.map((g, i) => [g.name, g.isDefault ? '(default)' : '', `samples ${g.samples.join(', ')}`, guideCounts[i]!]),
    ),
    ...section(
      'nets',
      summary.nets.map((n, i) => [n.name, n.owner, (n.layers ?? n.sizes).join(' -> '), n.activation ?? '', netCounts[i]!]),
    ),
    ...section('params', summary.params.map((p, i) => [p.name, p.owner, p.type, paramCounts[i]!])),
    ...section(
      'parameters',
      [
        ['model', formatCount(counts.model), ''],
        ['guide', formatCount(counts.guide), summary.guides.length > 1 ? `(${guideShares})` : ''],
        ['total', formatCount(counts.total), ''],
      ],
      [1],
    ),
  ];
  return lines.join('\n') + '\n';
}
