/** Copying: card-operated copiers, their sessions and their per-page charges. */
package kontor.copying;
