/**
 * The listing index activity: the workflow hands it the EPA's row whenever what the lists show
 * changes (patch 'listing-index'), and it writes it to the index, where a later version always wins
 * (retries and reordering cannot put an older row back). Without an index (no database
 * configured) it writes nothing: lists then read Temporal's visibility.
 */
import type { EpaActivities, ListingIndexWriter } from './types';

export function createListingActivities(index?: ListingIndexWriter): Pick<EpaActivities, 'indexEpa'> {
  return {
    async indexEpa(change) {
      if (!index) return 'none';
      return (await index.put(change)) ? 'indexed' : 'stale';
    },
  };
}
