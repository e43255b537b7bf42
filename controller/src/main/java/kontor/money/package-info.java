/** Money: members' balances as a ledger in minor units, charges that are atomic and idempotent, and {@code member.credit}. */
package kontor.money;
