-- The fleet directory (docs/fleet.md): members an owner issues for every office, applied here.
-- A fleet member is a member like any other (balance, lockers and bookings stay per site); its card row
-- holds the card's hash keyed with the fleet key instead of the site secret, and fleet_id/fleet_version
-- say which directory entry it came from and which version of it was applied last.
ALTER TABLE members ADD COLUMN IF NOT EXISTS fleet_id VARCHAR(64);
ALTER TABLE members ADD COLUMN IF NOT EXISTS fleet_version BIGINT;
CREATE UNIQUE INDEX IF NOT EXISTS members_fleet_id ON members (fleet_id);

-- One row: the highest directory version applied at this site, reported on {root}/{site}/fleet/applied.
CREATE TABLE IF NOT EXISTS fleet_applied (
    id       TINYINT PRIMARY KEY CHECK (id = 1),
    version  BIGINT NOT NULL
);
INSERT INTO fleet_applied (id, version) SELECT 1, 0 WHERE NOT EXISTS (SELECT 1 FROM fleet_applied);
