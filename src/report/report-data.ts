/**
 * The datasets a report reads, loaded once and shared by the runs: each run's
 * natural test split (its own training spec, so its test patches are held out
 * from what it trained on) and one labelled texture set.
 */
import { loadDataset, type LoadedDataset } from '../data/load-dataset.js';
import { loadRunData, type DataSpec } from '../driver/run-data.js';
import { errorMessage } from '../util/user-error.js';
import type { ReportOptions } from './report-options.js';

/** A dataset with class labels. */
export type LabelledDataset = LoadedDataset & Required<Pick<LoadedDataset, 'labels' | 'classes'>>;

/** A labelled texture set, or why there is none. */
export type TextureData = { readonly dataset: LabelledDataset } | { readonly reason: string };

export class ReportData {
  private readonly natural = new Map<string, Promise<LoadedDataset>>();
  private textures?: Promise<TextureData>;

  constructor(private readonly options: ReportOptions) {}

  /** The natural dataset of a run: its recorded spec (or --data), its seed and training size, `count` test patches. */
  naturalFor(runData: DataSpec): Promise<LoadedDataset> {
    const spec: DataSpec = {
      ...runData,
      ...(this.options.data ? { spec: this.options.data } : {}),
      ...(this.options.dataDir ? { dataDir: this.options.dataDir } : {}),
      test: this.options.count,
    };
    const key = JSON.stringify(spec);
    let loaded = this.natural.get(key);
    if (!loaded) {
      loaded = loadRunData(spec);
      this.natural.set(key, loaded);
    }
    return loaded;
  }

  /** The texture set of `--textures` with `textureTrain` / `count` patches, or the reason it is missing. */
  textureSet(): Promise<TextureData> {
    this.textures ??= this.loadTextures();
    return this.textures;
  }

  private async loadTextures(): Promise<TextureData> {
    const name = this.options.textures;
    if (name === null) return { reason: 'textures were left out (--textures none)' };
    const spec = name.includes(':') ? name : `textures:${name}`;
    try {
      const dataset = await loadDataset(spec, {
        seed: this.options.seed,
        train: this.options.textureTrain,
        test: this.options.count,
        ...(this.options.dataDir ? { dataDir: this.options.dataDir } : {}),
      });
      if (!dataset.labels || !dataset.classes) return { reason: `dataset '${spec}' has no class labels` };
      return { dataset: { ...dataset, labels: dataset.labels, classes: dataset.classes } };
    } catch (error) {
      return { reason: `texture data '${spec}' could not be loaded: ${errorMessage(error)}` };
    }
  }
}
