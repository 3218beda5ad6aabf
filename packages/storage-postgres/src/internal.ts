/**
 * The project's own benchmark hooks. NOT covered by semver: anything here may change or go away in
 * any release. Downstream code uses the package's main entry.
 *
 * The bench stages large stores by bulk INSERTs and proves them identical to what `store.save`
 * writes; it derives the rows with this same code so that the two can never drift apart.
 */
export { searchRowParameters } from './search-rows.js';
export { listingColumns } from './session-rows.js';
