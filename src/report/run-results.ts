/**
 * Everything the report computed for one run: the input of every section's
 * figures, tables and JSON. An analysis that could not run for this run
 * leaves its field out and says why in `skipped`.
 */
import type { LatentActivity } from './analyses/posterior-activity.js';
import type { PosteriorCorrelations } from './analyses/posterior-correlations.js';
import type { ProjectiveFields } from './analyses/projective-fields.js';
import type { LatentScatter } from './analyses/latent-scatter.js';
import type { SetBound } from './analyses/test-bounds.js';
import type { TextureDecoding } from './analyses/texture-decoding.js';
import type { TrainingCurves } from './analyses/training-curves.js';

/** Section ids, in report order (also the anchors of index.html and the keys of report.json). */
export const SECTION_IDS = [
  'training-curves',
  'test-bounds',
  'posterior-activity',
  'texture-decoding',
  'latent-scatter',
  'projective-fields',
  'posterior-correlations',
] as const;

export type SectionId = (typeof SECTION_IDS)[number];

export interface RunSummary {
  /** Short unique name (the run directory's base name). */
  readonly name: string;
  readonly dir: string;
  readonly objective: string;
  readonly k: number;
  readonly epochs: number;
  readonly model: string;
  readonly guide: string;
  /** The natural data spec the run was trained on. */
  readonly data: string;
  readonly description: string;
}

export interface RunResults {
  readonly run: RunSummary;
  /** `[height, width]` of the observed variable when it is an image. */
  readonly imageShape?: readonly [number, number];
  /** The dataset the run was analysed on (one line). */
  readonly naturalData: string;
  /** Its canonical name (`natural:olshausen`, `mnist:dynamic`, `file:...`), for labels. */
  readonly dataName: string;
  readonly curves: TrainingCurves;
  /** Per test set ('natural', 'textures'). */
  readonly bounds: Record<string, SetBound>;
  readonly activity: readonly LatentActivity[];
  readonly decoding?: TextureDecoding;
  readonly scatter?: LatentScatter;
  readonly fields?: ProjectiveFields;
  readonly correlations?: PosteriorCorrelations;
  /** Why a section has nothing for this run. */
  readonly skipped: Partial<Record<SectionId, string>>;
}
