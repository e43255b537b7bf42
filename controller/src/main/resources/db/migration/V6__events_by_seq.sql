-- Kontor schema, version 6: the journal keeps one index, its seq.
-- Every append paid for a second B-tree (events_ts) that only the hourly retention read. Events are
-- appended in time order, so retention now walks the journal in seq order from its oldest event
-- (Journal.prunePublishedBefore) and needs no index on ts.
DROP INDEX IF EXISTS events_ts;
