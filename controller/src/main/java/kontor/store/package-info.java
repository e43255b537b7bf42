/** The gateway's H2 database: durable transactions, versioned schema, and small tables that belong to no domain. */
package kontor.store;
