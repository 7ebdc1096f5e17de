/**
 * How the core reports long work without printing: a stage label alone, or the label with how many
 * of `total` units (folds × candidates, trees, refits, files) are done. The CLI draws it.
 */
export type Progress = (label: string, done?: number, total?: number) => void;
