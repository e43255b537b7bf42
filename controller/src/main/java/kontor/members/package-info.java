/** Members and their cards: cards kept only as keyed hashes, access checks, and reader lockout after repeated denials. */
package kontor.members;
