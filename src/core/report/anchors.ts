import { esc, type Cell } from './html.js';

/** The id of a run's section in the report (ids are safe already; the replace guards hand-made ones). */
export const runAnchor = (id: string): string => `run-${id.replace(/[^A-Za-z0-9_-]/g, '_')}`;

/** A table cell linking to a run's section. */
export const runLink = (id: string): Cell => ({ html: `<a href="#${esc(runAnchor(id))}">${esc(id)}</a>` });
